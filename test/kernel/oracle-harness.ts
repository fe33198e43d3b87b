// The kernel oracle: predicts each generated case with the simulator, makes it for real via the C export, compares.
import { execFile, spawn, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { arch, platform, release, tmpdir } from 'node:os';
import { join } from 'node:path';
import { EXPORT_EXIT } from '../../core/sim/export-c';
import { DEFAULT_CONTEXT } from '../../core/sim/input';
import type { CheckRef, NormalizedCall, SimulateInput, SimulateOutput } from '../../core/sim/types';
import { ENVIRONMENT_LIMITS, type HostFacts } from './environment-limits';
import type { OracleCase } from './oracle-cases';

export interface OracleDeps {
  simulate(input: SimulateInput): SimulateOutput;
  normalize(input: SimulateInput): NormalizedCall;
  exportC(call: NormalizedCall): string;
}

export type CaseStatus = 'agree' | 'disagree' | 'limit' | 'error';

export interface CaseOutcome {
  id: string;
  group: string;
  input: SimulateInput;
  /** "success" or an errno name; "error: ..." when the simulator threw. */
  predicted: string;
  /** "success" or an errno name as the running kernel answered; otherwise what went wrong. */
  actual: string;
  /** The result line (and anything else the program said), for the report. */
  detail: string;
  decidedBy: CheckRef | null;
  status: CaseStatus;
  /** The environment limit that explains a difference (status "limit"). */
  limit?: string;
}

export interface OracleReport {
  kernel: string;
  machine: string;
  cases: number;
  /** Cases compared: all but the documented environment limits and the errors. */
  compared: number;
  agreed: number;
  outcomes: CaseOutcome[];
  seconds: number;
  compiled: number;
}

export interface OracleOptions {
  jobs?: number;
  cacheDir?: string;
  timeoutMs?: number;
  onProgress?: (done: number, total: number) => void;
}

const GCC_FLAGS = ['-O0', '-w', '-pthread', '-pipe'];

/** Why the oracle cannot run here (one line), or null. Compiles and runs one clone3 probe. */
export async function skipReason(exportC: OracleDeps['exportC'], options: OracleOptions = {}): Promise<string | null> {
  if (platform() !== 'linux') return 'not Linux';
  if (arch() !== 'x64') return 'not x86_64 (the C export makes raw x86_64 system calls)';
  if (gccVersion() === null) return 'gcc is missing';
  if (process.getuid?.() !== 0) return 'not root (recreating unprivileged callers and namespaces needs root)';
  const probe: NormalizedCall = {
    kernel: 'host', syscall: 'clone3', flags: 0n, size: 88, tail: 'zero', fields: { exit_signal: 17n },
    context: { ...DEFAULT_CONTEXT },
  };
  const binary = await compile(exportC(probe), cacheDir(options));
  const run = await runBinary(binary, options.timeoutMs ?? 30_000);
  if (run.word === 'ENOSYS') return 'clone3 is ENOSYS on this kernel';
  if (run.code !== 0) return `the clone3 probe did not run: ${run.detail || `exit ${run.code}`}`;
  return null;
}

export function hostFacts(): HostFacts {
  const mounts = safeRead('/proc/mounts');
  const capEff = /^CapEff:\s*([0-9a-f]+)$/m.exec(safeRead('/proc/self/status'))?.[1] ?? '0';
  return { release: release(), cgroup2: /\scgroup2\s/.test(mounts), effectiveCaps: BigInt(`0x${capEff}`) };
}

export async function runOracle(cases: OracleCase[], deps: OracleDeps, options: OracleOptions = {}): Promise<OracleReport> {
  const started = Date.now();
  const host = hostFacts();
  const dir = cacheDir(options);
  const outcomes: CaseOutcome[] = new Array(cases.length);
  let done = 0;
  let compiled = 0;
  await pool(cases.length, options.jobs ?? 2, async (index) => {
    const testCase = cases[index];
    outcomes[index] = await runCase(testCase, deps, dir, options.timeoutMs ?? 30_000, host, () => compiled++);
    options.onProgress?.(++done, cases.length);
  });
  const counted = outcomes.filter((o) => o.status === 'agree' || o.status === 'disagree');
  return {
    kernel: host.release,
    machine: arch(),
    cases: cases.length,
    compared: counted.length,
    agreed: counted.filter((o) => o.status === 'agree').length,
    outcomes,
    seconds: (Date.now() - started) / 1000,
    compiled,
  };
}

async function runCase(
  testCase: OracleCase,
  deps: OracleDeps,
  dir: string,
  timeoutMs: number,
  host: HostFacts,
  countCompile: () => void,
): Promise<CaseOutcome> {
  const base = { id: testCase.id, group: testCase.group, input: testCase.input };
  let predicted: string;
  let decidedBy: CheckRef | null = null;
  try {
    const out = deps.simulate(testCase.input);
    predicted = out.outcome === 'success' ? 'success' : out.errno ?? 'error: no errno';
    decidedBy = out.decidedBy;
  } catch (error) {
    predicted = `error: ${messageOf(error)}`;
  }
  let source: string;
  try {
    source = deps.exportC(deps.normalize(testCase.input));
  } catch (error) {
    return { ...base, predicted, actual: `export failed: ${messageOf(error)}`, detail: '', decidedBy, status: 'error' };
  }
  let binary: string;
  try {
    binary = await compile(source, dir, countCompile);
  } catch (error) {
    return { ...base, predicted, actual: `gcc failed: ${messageOf(error)}`, detail: '', decidedBy, status: 'error' };
  }
  const run = await runBinary(binary, timeoutMs);
  // exit 4: the program could not recreate the caller here; only a documented limit may explain that
  const made = run.code === EXPORT_EXIT.made && run.word !== null;
  const actual = made ? (run.word as string) : run.code === EXPORT_EXIT.cannot ? 'cannot' : `program exit ${run.code}`;
  const outcome = { ...base, predicted, actual, detail: run.detail, decidedBy };
  if (predicted.startsWith('error:')) return { ...outcome, status: 'error' };
  if (made && predicted === actual) return { ...outcome, status: 'agree' };
  const limit = ENVIRONMENT_LIMITS.find((l) => l.applies(testCase, { predicted, actual, detail: run.detail }, host));
  if (limit) return { ...outcome, status: 'limit', limit: limit.id };
  return { ...outcome, status: made ? 'disagree' : 'error' };
}

function cacheDir(options: OracleOptions): string {
  const dir = options.cacheDir ?? join(tmpdir(), `sysarg-oracle-${process.getuid?.() ?? 'user'}`);
  mkdirSync(dir, { recursive: true });
  return dir;
}

let gccVersionCache: string | null | undefined;

function gccVersion(): string | null {
  if (gccVersionCache === undefined) {
    const out = spawnSync('gcc', ['--version'], { encoding: 'utf8' });
    gccVersionCache = out.status === 0 ? out.stdout.split('\n')[0] : null;
  }
  return gccVersionCache;
}

const inFlight = new Map<string, Promise<string>>();
let tempCounter = 0;

/** Compiles once per distinct program (cached by hash of compiler, flags and source); returns the binary's path. */
function compile(source: string, dir: string, countCompile?: () => void): Promise<string> {
  const key = createHash('sha256').update(`${gccVersion()}\0${GCC_FLAGS.join(' ')}\0${source}`).digest('hex').slice(0, 24);
  const binary = join(dir, key);
  if (existsSync(binary)) return Promise.resolve(binary);
  // two cases may export the same program: compile it once
  let pending = inFlight.get(binary);
  if (!pending) {
    pending = gcc(source, binary, countCompile).finally(() => inFlight.delete(binary));
    inFlight.set(binary, pending);
  }
  return pending;
}

async function gcc(source: string, binary: string, countCompile?: () => void): Promise<string> {
  const unique = `${process.pid}-${tempCounter++}`;
  const file = `${binary}.${unique}.c`;
  writeFileSync(file, source);
  const temp = `${binary}.${unique}.tmp`;
  await new Promise<void>((resolve, reject) => {
    execFile('gcc', [...GCC_FLAGS, '-o', temp, file], (error, _stdout, stderr) => {
      if (error) reject(new Error(stderr.split('\n').find((l) => l.includes('error')) ?? error.message));
      else resolve();
    });
  });
  renameSync(temp, binary);
  renameSync(file, `${binary}.c`);
  countCompile?.();
  return binary;
}

interface Run {
  code: number | null;
  /** The word after "sysarg-result:" (an errno name, "success", "unsupported", "cannot", "timeout"). */
  word: string | null;
  detail: string;
}

/** Runs a program in its own process group; on timeout the whole group is killed. */
function runBinary(binary: string, timeoutMs: number): Promise<Run> {
  return new Promise((resolve) => {
    const child = spawn(binary, [], { stdio: ['ignore', 'pipe', 'pipe'], detached: true });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const timer = setTimeout(() => {
      try {
        process.kill(-(child.pid as number), 'SIGKILL');
      } catch {
        // already gone
      }
    }, timeoutMs);
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      const line = /^sysarg-result: (\S+)(.*)$/m.exec(stdout);
      const notes = stderr.split('\n').filter((l) => l && !l.startsWith('sysarg-note:'));
      const detail = [line ? line[0] : stdout.trim(), ...notes, signal ? `killed by ${signal}` : ''].filter(Boolean).join(' | ');
      resolve({ code: signal ? null : code, word: line ? line[1] : null, detail });
    });
  });
}

async function pool(count: number, jobs: number, work: (index: number) => Promise<void>): Promise<void> {
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < count) await work(next++);
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(jobs, count)) }, worker));
}

function safeRead(path: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return '';
  }
}

function messageOf(error: unknown): string {
  return (error instanceof Error ? error.message : String(error)).split('\n')[0];
}

/** The figure and every difference, as plain text (what scripts/oracle.mjs prints and the test reports). */
export function formatReport(report: OracleReport): string {
  const pct = report.compared === 0 ? 0 : (100 * report.agreed) / report.compared;
  const limited = report.outcomes.filter((o) => o.status === 'limit');
  const errors = report.outcomes.filter((o) => o.status === 'error');
  const disagreements = report.outcomes.filter((o) => o.status === 'disagree');
  const lines = [
    `kernel: Linux ${report.kernel} (${report.machine})`,
    `agreement: ${report.agreed}/${report.compared} compared cases (${pct.toFixed(1)}%); ` +
      `${report.cases} generated, ${limited.length} excluded as environment limits, ${errors.length} errors ` +
      `(${report.seconds.toFixed(1)} s, ${report.compiled} compiled)`,
  ];
  const describe = (o: CaseOutcome): string => {
    const by = o.decidedBy ? ` [model: ${o.decidedBy.function}: ${o.decidedBy.check}]` : '';
    return `  ${o.id}: predicted ${o.predicted}, kernel ${o.actual}${by}\n    input ${JSON.stringify(o.input)}${o.detail ? `\n    ${o.detail}` : ''}`;
  };
  if (disagreements.length > 0) lines.push(`disagreements (${disagreements.length}):`, ...disagreements.map(describe));
  if (limited.length > 0) {
    lines.push(`environment limits (${limited.length}, excluded from the figure):`);
    for (const limit of ENVIRONMENT_LIMITS) {
      const hit = limited.filter((o) => o.limit === limit.id);
      if (hit.length > 0) lines.push(`  ${limit.id} (${hit.length}): ${limit.reason}`, ...hit.map((o) => `    ${o.id}: predicted ${o.predicted}, kernel ${o.actual}`));
    }
  }
  if (errors.length > 0) lines.push(`errors (${errors.length}):`, ...errors.map(describe));
  return lines.join('\n');
}
