// Lets a plain Node script use the project's TypeScript modules: bundles their exports with esbuild and requires them.
import { build } from 'esbuild';
import { mkdtempSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const root = new URL('..', import.meta.url).pathname;

/** `source` is TypeScript re-exporting what the script needs, with paths relative to the repository root. */
export async function loadTypeScript(source) {
  const dir = mkdtempSync(join(tmpdir(), 'sysarg-script-'));
  const outfile = join(dir, 'module.cjs');
  try {
    await build({
      stdin: { contents: source, resolveDir: root, loader: 'ts' },
      bundle: true,
      platform: 'node',
      target: 'node20',
      format: 'cjs',
      outfile,
      logLevel: 'warning',
    });
    return createRequire(import.meta.url)(outfile);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
