// Runs the built `sysarg` CLI as a real process and captures what it prints.
import { spawnSync } from 'node:child_process';
import { cliPath } from './paths';

export interface CliRun {
  status: number | null;
  stdout: string;
  stderr: string;
}

export function runCli(args: string[], options: { input?: string; cwd?: string; timeoutMs?: number } = {}): CliRun {
  const result = spawnSync(process.execPath, [cliPath, ...args], {
    input: options.input,
    cwd: options.cwd,
    encoding: 'utf8',
    timeout: options.timeoutMs ?? 60_000,
    maxBuffer: 256 * 1024 * 1024,
  });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}
