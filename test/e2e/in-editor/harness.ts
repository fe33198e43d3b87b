// A minimal test runner for the VS Code extension host: runs named cases in order and reports each, then a closing count.
import { writeFileSync } from 'node:fs';

export interface EditorCase {
  name: string;
  run: () => Promise<void>;
  /** Milliseconds before the case counts as failed; the editor itself is bounded by the outer runner. */
  timeoutMs?: number;
}

export interface CaseResult {
  name: string;
  status: 'passed' | 'failed';
  message?: string;
  durationMs: number;
}

/** What the in-editor run writes to $SYSARG_E2E_RESULT for the node:test runner outside the editor. */
export interface EditorRunReport {
  results: CaseResult[];
  passed: number;
  failed: number;
}

const DEFAULT_TIMEOUT_MS = 45_000;

function withTimeout<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} did not finish within ${ms} ms`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

function describeError(error: unknown): string {
  if (error instanceof Error) return error.message;
  return String(error);
}

export async function runCases(cases: EditorCase[], log: (line: string) => void): Promise<EditorRunReport> {
  const results: CaseResult[] = [];
  for (const testCase of cases) {
    const started = Date.now();
    try {
      await withTimeout(testCase.run(), testCase.timeoutMs ?? DEFAULT_TIMEOUT_MS, `case '${testCase.name}'`);
      results.push({ name: testCase.name, status: 'passed', durationMs: Date.now() - started });
      log(`ok - ${testCase.name}`);
    } catch (error) {
      const message = describeError(error);
      results.push({ name: testCase.name, status: 'failed', message, durationMs: Date.now() - started });
      log(`not ok - ${testCase.name}\n    ${message.replace(/\n/g, '\n    ')}`);
    }
  }
  const passed = results.filter((r) => r.status === 'passed').length;
  const failed = results.length - passed;
  log(`${passed} passed, ${failed} failed`);
  return { results, passed, failed };
}

/** Leaves the report where the outer runner looks for it (the extension host inherits code-server's environment). */
export function writeReport(report: EditorRunReport, file: string | undefined): void {
  if (file) writeFileSync(file, JSON.stringify(report, null, 2));
}
