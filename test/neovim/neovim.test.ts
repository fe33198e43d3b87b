// Neovim as a second LSP client: docs/editors.md's Neovim 0.7 block starts `sysarg lsp --stdio`; a hover must show clone_args' size.
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, dirname, join } from 'node:path';
import { cliPath, repoRoot } from '../helpers/paths';

const SCHED_H = '/usr/include/linux/sched.h';
const DOCS = join(repoRoot, 'docs', 'editors.md');
const HARNESS = join(repoRoot, 'test', 'neovim', 'hover-harness.lua');
const NVIM_TIMEOUT_MS = 60_000;
/** The demo workspace and its patch mail, which adds `cookie` to struct frob_args. */
const WORKSPACE = join(repoRoot, 'test', 'e2e', 'workspace');
const DEMO_MAIL = join(WORKSPACE, '0001-frob-add-a-cookie-to-struct-frob_args.patch');

function nvimMissing(): string | undefined {
  const probe = spawnSync('nvim', ['--version'], { encoding: 'utf8' });
  if (probe.error || probe.status !== 0) return 'nvim is not installed (apt-get install neovim)';
  return undefined;
}

/** The Lua block of docs/editors.md between the neovim-0.7 markers, pointed at this checkout. */
function documentedInit(): string {
  const docs = readFileSync(DOCS, 'utf8');
  const block = /<!-- begin neovim-0\.7[^>]*-->\s*```lua\n([\s\S]*?)```\s*<!-- end neovim-0\.7 -->/.exec(docs);
  assert.ok(block, `${DOCS} has no Lua block between the neovim-0.7 markers`);
  assert.ok(block[1].includes('/path/to/sysarg/dist/cli.js'), 'the documented block does not start /path/to/sysarg/dist/cli.js');
  return block[1].replaceAll('/path/to/sysarg', repoRoot);
}

interface LspMarkup {
  kind?: string;
  language?: string;
  value?: string;
}
type HoverContents = string | LspMarkup | Array<string | LspMarkup>;

interface HarnessResult {
  status: 'ok' | 'not-attached' | 'error';
  filetype?: string;
  message?: string;
  error?: string | null;
  response?: { err?: unknown; result?: { contents?: HoverContents } | null } | null;
  /** The buffer's diagnostics (0-based lines), when the harness was asked to wait for a code. */
  diagnostics?: { lnum: number; col: number; severity: number; code: string | null; message: string }[] | null;
}

function hoverMarkdown(contents: HoverContents | undefined): string {
  if (contents === undefined) return '';
  const parts = Array.isArray(contents) ? contents : [contents];
  return parts.map((part) => (typeof part === 'string' ? part : (part.value ?? ''))).join('\n');
}

/** Where to hover `cookie` in the demo mail's text (its + line). */
function cookieAt(text: string): { line: number; character: number } {
  const line = text.split('\n').indexOf('+\t__aligned_u64 cookie;');
  assert.ok(line >= 0, 'no cookie line in the demo mail');
  return { line, character: '+\t__aligned_u64 coo'.length };
}

/** The hover Neovim got says cookie is at offset 16, 8 bytes, on x86_64. */
function assertCookieHover(result: HarnessResult): void {
  const hover = hoverMarkdown(result.response?.result?.contents);
  assert.match(hover, /^\|\s*x86_64\s*\|\s*16\s*\|\s*8\s*\|/m, `hover was:\n${hover || JSON.stringify(result.response ?? result.error)}`);
}

function tagPosition(): { line: number; character: number } {
  const lines = readFileSync(SCHED_H, 'utf8').split('\n');
  const line = lines.findIndex((text) => text.startsWith('struct clone_args {'));
  assert.ok(line >= 0, `no 'struct clone_args {' line in ${SCHED_H}`);
  return { line, character: 'struct clone_'.length };
}

/** Neovim with the documented setup, started in `cwd` (its root_dir), hovering `file` at `position`. */
function hoverInNeovim(file: string, position: { line: number; character: number }, cwd: string, waitForCode = ''): HarnessResult {
  assert.ok(existsSync(cliPath), `${cliPath} is missing: build with node scripts/build.mjs first`);
  const scratch = mkdtempSync(join(tmpdir(), 'sysarg-nvim-'));
  try {
    const init = join(scratch, 'init.lua');
    writeFileSync(init, documentedInit());
    const out = join(scratch, 'result.json');
    const run = spawnSync('nvim', ['--headless', '-n', '-i', 'NONE', '--noplugin', '-u', init, '-c', `luafile ${HARNESS}`], {
      cwd,
      encoding: 'utf8',
      timeout: NVIM_TIMEOUT_MS,
      killSignal: 'SIGKILL',
      env: {
        ...process.env,
        // `node` in the documented cmd is the node running this test; Neovim's own files stay in the scratch folder.
        PATH: `${dirname(process.execPath)}${delimiter}${process.env.PATH ?? ''}`,
        XDG_CONFIG_HOME: join(scratch, 'config'),
        XDG_DATA_HOME: join(scratch, 'data'),
        XDG_CACHE_HOME: join(scratch, 'cache'),
        XDG_STATE_HOME: join(scratch, 'state'),
        SYSARG_NVIM_OUT: out,
        SYSARG_NVIM_FILE: file,
        SYSARG_NVIM_LINE: String(position.line),
        SYSARG_NVIM_CHARACTER: String(position.character),
        SYSARG_NVIM_WAIT_CODE: waitForCode,
      },
    });
    const lspLog = join(scratch, 'cache', 'nvim', 'lsp.log');
    const context = `nvim exit ${run.signal ?? run.status}; stderr: ${run.stderr.trim() || '(none)'}; lsp.log: ${existsSync(lspLog) ? readFileSync(lspLog, 'utf8').slice(-2000) : '(none)'}`;
    assert.ok(existsSync(out), `Neovim wrote no result within ${NVIM_TIMEOUT_MS} ms (${context})`);
    const result = JSON.parse(readFileSync(out, 'utf8')) as HarnessResult;
    assert.equal(result.status, 'ok', `the harness ended with '${result.status}' ${result.message ?? ''} (filetype '${result.filetype ?? '?'}'; ${context})`);
    return result;
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}

test('Neovim (documented 0.7 setup) gets size 88 on x86_64 when hovering struct clone_args', { timeout: NVIM_TIMEOUT_MS + 15_000 }, (t) => {
  const missing = nvimMissing() ?? (existsSync(SCHED_H) ? undefined : `${SCHED_H} is missing (apt-get install linux-libc-dev)`);
  if (missing) {
    t.skip(missing);
    return;
  }
  const result = hoverInNeovim(SCHED_H, tagPosition(), tmpdir());
  assert.ok(['c', 'cpp'].includes(result.filetype ?? ''), `sched.h opened with filetype '${result.filetype}'`);
  const text = hoverMarkdown(result.response?.result?.contents);
  assert.ok(text, `no hover on struct clone_args: ${JSON.stringify(result.response ?? result.error)}`);
  assert.match(text, /\*\*struct clone_args\*\*/, `hover was:\n${text}`);
  assert.match(text, /^\|\s*x86_64\s*\|\s*88\s*\|/m, `hover was:\n${text}`);
});

test('Neovim (documented 0.7 setup) hovers the member a patch mail adds, applied to the tree it is started in, and shows its non-tail-insertion error', { timeout: NVIM_TIMEOUT_MS + 15_000 }, (t) => {
  const missing = nvimMissing();
  if (missing) {
    t.skip(missing);
    return;
  }
  const cookie = cookieAt(readFileSync(DEMO_MAIL, 'utf8'));
  const result = hoverInNeovim(DEMO_MAIL, cookie, WORKSPACE, 'non-tail-insertion');
  // Neovim takes a git format-patch mail for 'gitsendemail', which the documented setup attaches to.
  assert.ok(['diff', 'gitsendemail'].includes(result.filetype ?? ''), `the patch opened with filetype '${result.filetype}'`);
  assertCookieHover(result);
  // The mail inserts cookie before the published mode: Neovim shows the error at its + line.
  const inserted = (result.diagnostics ?? []).filter((d) => d.code === 'non-tail-insertion');
  assert.deepEqual(inserted.map((d) => [d.lnum, d.severity]), [[cookie.line, 1]], JSON.stringify(result.diagnostics));
});

test('Neovim (documented 0.7 setup) reads a mailbox b4 wrote (.mbx) as a mail, and hovers the member it adds', { timeout: NVIM_TIMEOUT_MS + 15_000 }, (t) => {
  const missing = nvimMissing();
  if (missing) {
    t.skip(missing);
    return;
  }
  const text = readFileSync(DEMO_MAIL, 'utf8');
  const dir = mkdtempSync(join(tmpdir(), 'sysarg-nvim-mbx-'));
  try {
    const mbx = join(dir, 'v1_20261129_frob_add_a_cookie.mbx');
    writeFileSync(mbx, text);
    const result = hoverInNeovim(mbx, cookieAt(text), WORKSPACE);
    assert.equal(result.filetype, 'mail', 'the documented autocmd names .mbx a mail');
    assertCookieHover(result);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
