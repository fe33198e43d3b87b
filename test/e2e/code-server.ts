// Starts code-server (VS Code in the browser, on the Node 24 that scripts/install-e2e.sh put in .e2e/) for the e2e tests.
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { repoRoot } from '../helpers/paths';
import launch from './code-server.json';

export const e2eDir = join(repoRoot, '.e2e');
export const node24 = join(e2eDir, 'node', 'node_modules', 'node', 'bin', 'node');
export const codeServerEntry = join(e2eDir, 'code-server', 'node_modules', 'code-server', 'out', 'node', 'entry.js');
export const CHROMIUM = '/usr/bin/chromium';

/** Why the real-editor test cannot run here, or undefined when it can. */
export function missingEditorPrerequisite(): string | undefined {
  if (!existsSync(node24) || !existsSync(codeServerEntry)) return '.e2e/ has no code-server (run scripts/install-e2e.sh)';
  if (!existsSync(CHROMIUM)) return `${CHROMIUM} is missing (apt-get install chromium)`;
  return undefined;
}

export interface CodeServer {
  /** e.g. http://127.0.0.1:41234/ */
  baseUrl: string;
  /** Everything code-server printed so far, for failure messages. */
  output(): string;
  stop(): void;
}

export interface CodeServerOptions {
  /** Scratch folder for code-server's config, user data and extensions (a fresh one per run). */
  home: string;
  env?: Record<string, string>;
  startTimeoutMs?: number;
}

function codeServerArgs(home: string): string[] {
  return [
    codeServerEntry,
    '--bind-addr', '127.0.0.1:0',
    '--config', join(home, 'config.yaml'),
    '--user-data-dir', join(home, 'user-data'),
    '--extensions-dir', join(home, 'extensions'),
    ...launch.flags,
  ];
}

function prepareHome(home: string): void {
  mkdirSync(join(home, 'user-data', 'User'), { recursive: true });
  mkdirSync(join(home, 'extensions'), { recursive: true });
  writeFileSync(join(home, 'config.yaml'), launch.config);
  writeFileSync(join(home, 'user-data', 'User', 'settings.json'), JSON.stringify(launch.userSettings, null, 2));
}

/** Kills code-server and everything it started (extension host, language server): they share its process group. */
function killGroup(child: ChildProcess): void {
  if (child.pid === undefined || child.exitCode !== null || child.signalCode !== null) return;
  try {
    process.kill(-child.pid, 'SIGKILL');
  } catch {
    child.kill('SIGKILL');
  }
}

export async function startCodeServer(options: CodeServerOptions): Promise<CodeServer> {
  prepareHome(options.home);
  const child = spawn(node24, codeServerArgs(options.home), {
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: {
      ...process.env,
      // code-server also reads and writes under XDG folders; keep them in the scratch folder.
      XDG_CONFIG_HOME: join(options.home, 'xdg-config'),
      XDG_DATA_HOME: join(options.home, 'xdg-data'),
      ...options.env,
    },
  });
  const killOnExit = (): void => killGroup(child);
  process.once('exit', killOnExit);
  let output = '';
  const stop = (): void => {
    process.removeListener('exit', killOnExit);
    killGroup(child);
  };
  const baseUrl = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => {
      stop();
      reject(new Error(`code-server did not start within ${options.startTimeoutMs ?? 30_000} ms:\n${output}`));
    }, options.startTimeoutMs ?? 30_000);
    const onData = (chunk: Buffer): void => {
      output += chunk.toString();
      const match = /HTTP server listening on (http:\/\/127\.0\.0\.1:\d+\/)/.exec(output);
      if (match) {
        clearTimeout(timer);
        resolve(match[1]);
      }
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', onData);
    child.once('exit', (code, signal) => {
      clearTimeout(timer);
      reject(new Error(`code-server exited (${signal ?? code}) before listening:\n${output}`));
    });
  });
  return { baseUrl, output: () => output, stop };
}

/** A server-side path as the browser-side workbench names it: the page's host:port is the remote authority. */
export function remoteUri(baseUrl: string, path: string): string {
  return `vscode-remote://${new URL(baseUrl).host}${encodeURI(path)}`;
}

/**
 * The workbench URL that opens `folder` with the extension at `extensionDevelopmentPath` loaded, and, given
 * `extensionTestsPath`, runs that module and reports through window.codeAutomationExit (smoke-test driver mode).
 */
export function workbenchUrl(baseUrl: string, folder: string, extensionDevelopmentPath: string, extensionTestsPath?: string): string {
  const payload: Array<[string, string]> = [
    ['extensionDevelopmentPath', remoteUri(baseUrl, extensionDevelopmentPath)],
    ['skipWelcome', 'true'],
    ['skipReleaseNotes', 'true'],
  ];
  if (extensionTestsPath) payload.push(['extensionTestsPath', remoteUri(baseUrl, extensionTestsPath)]);
  const url = new URL(baseUrl);
  url.searchParams.set('folder', folder);
  url.searchParams.set('payload', JSON.stringify(payload));
  return url.toString();
}
