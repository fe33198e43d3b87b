// Real VS Code end to end: code-server + headless Debian chromium (playwright-core) run the in-editor cases against dist/.
import { test, type TestContext } from 'node:test';
import * as assert from 'node:assert/strict';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { repoRoot } from '../helpers/paths';
import { CHROMIUM, missingEditorPrerequisite, startCodeServer, workbenchUrl, type CodeServer } from './code-server';
import type { EditorRunReport } from './in-editor/harness';

const IN_EDITOR_MODULE = join(repoRoot, 'out', 'e2e', 'in-editor.js');
const LOG_DIR = join(repoRoot, 'out', 'e2e-logs');
/** From opening the page to codeAutomationExit: editor start-up plus every in-editor case (each bounded at 45 s). */
const EDITOR_RUN_TIMEOUT_MS = 330_000;

// Debian's chromium, told to stay off Google's services: the network here reaches only package registries.
const CHROMIUM_ARGS = [
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

interface AutomationExit {
  code: number;
  logs: Array<{ relativePath: string; contents: string }>;
}

/** Keeps what the editor logged (browser side, server side, the page console) where a developer can read it after a run. */
function saveEditorLogs(exit: AutomationExit | undefined, consoleLines: string[], serverLogs: string): void {
  rmSync(LOG_DIR, { recursive: true, force: true });
  mkdirSync(LOG_DIR, { recursive: true });
  for (const log of exit?.logs ?? []) {
    const file = join(LOG_DIR, 'browser', log.relativePath.replace(/\.\.+/g, '_'));
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(file, log.contents);
  }
  if (existsSync(serverLogs)) cpSync(serverLogs, join(LOG_DIR, 'server'), { recursive: true });
  writeFileSync(join(LOG_DIR, 'browser-console.txt'), consoleLines.join('\n'));
}

function readReport(file: string): EditorRunReport | undefined {
  if (!existsSync(file)) return undefined;
  return JSON.parse(readFileSync(file, 'utf8')) as EditorRunReport;
}

async function runEditor(page: Page, url: string): Promise<AutomationExit> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  let reportExit: (exit: AutomationExit) => void = () => undefined;
  const exited = new Promise<AutomationExit>((resolve) => {
    reportExit = resolve;
  });
  // The workbench calls window.codeAutomationExit(code, logs) once the extension host running the tests has exited.
  await page.exposeFunction('codeAutomationExit', (code: number, logs: AutomationExit['logs']) => reportExit({ code, logs: logs ?? [] }));
  const timedOut = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`the editor did not report through codeAutomationExit within ${EDITOR_RUN_TIMEOUT_MS} ms`)), EDITOR_RUN_TIMEOUT_MS);
  });
  try {
    await page.goto(url, { waitUntil: 'domcontentloaded', timeout: 60_000 });
    return await Promise.race([exited, timedOut]);
  } finally {
    clearTimeout(timer);
  }
}

function lastLines(lines: string[], count: number): string {
  return lines.slice(-count).join('\n');
}

test('real VS Code (code-server + chromium) runs the in-editor cases against the built extension', { timeout: 420_000 }, async (t: TestContext) => {
  const missing = missingEditorPrerequisite();
  if (missing) {
    t.skip(missing);
    return;
  }
  for (const built of [join(repoRoot, 'dist', 'extension.js'), join(repoRoot, 'dist', 'server.js'), IN_EDITOR_MODULE]) {
    assert.ok(existsSync(built), `${built} is missing: build with node scripts/build.mjs --tests first`);
  }

  const scratch = mkdtempSync(join(tmpdir(), 'sysarg-e2e-'));
  const workspace = join(scratch, 'workspace');
  cpSync(join(repoRoot, 'test', 'e2e', 'workspace'), workspace, { recursive: true });
  const codeServerHome = join(scratch, 'code-server');
  const reportFile = join(scratch, 'report.json');
  const consoleLines: string[] = [];
  let server: CodeServer | undefined;
  let browser: BrowserContext | undefined;
  let exit: AutomationExit | undefined;
  let report: EditorRunReport | undefined;
  const started = Date.now();
  try {
    server = await startCodeServer({ home: codeServerHome, env: { SYSARG_E2E_RESULT: reportFile } });
    browser = await chromium.launchPersistentContext(join(scratch, 'chromium-profile'), {
      executablePath: CHROMIUM,
      headless: true,
      chromiumSandbox: false,
      args: CHROMIUM_ARGS,
      timeout: 60_000,
    });
    const page = browser.pages()[0] ?? (await browser.newPage());
    page.on('console', (message) => consoleLines.push(`[${message.type()}] ${message.text()}`));
    page.on('pageerror', (error) => consoleLines.push(`[pageerror] ${error.message}`));
    exit = await runEditor(page, workbenchUrl(server.baseUrl, workspace, repoRoot, IN_EDITOR_MODULE));
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    assert.fail(`${message}\n--- browser console (last 40 lines) ---\n${lastLines(consoleLines, 40)}\n--- code-server ---\n${server?.output() ?? ''}`);
  } finally {
    await browser?.close().catch(() => undefined);
    server?.stop();
    saveEditorLogs(exit, consoleLines, join(codeServerHome, 'user-data', 'logs'));
    report = readReport(reportFile);
    rmSync(scratch, { recursive: true, force: true });
  }
  t.diagnostic(`editor run took ${((Date.now() - started) / 1000).toFixed(1)} s; editor logs in ${LOG_DIR}`);

  assert.ok(report, `the in-editor run wrote no report (exit code ${exit.code}); browser console:\n${lastLines(consoleLines, 40)}`);
  for (const result of report.results) {
    t.diagnostic(`${(result.durationMs / 1000).toFixed(1)} s  ${result.status}  ${result.name}`);
  }
  for (const result of report.results) {
    await t.test(`in editor: ${result.name}`, () => {
      if (result.status !== 'passed') throw new Error(result.message ?? 'failed');
    });
  }
  assert.ok(report.results.length > 0, 'the in-editor run had no cases');
  assert.equal(exit.code, report.failed > 0 ? 1 : 0, `codeAutomationExit reported ${exit.code} for ${report.passed} passed, ${report.failed} failed`);
});
