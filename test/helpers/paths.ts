// Where the repository, the built bundles and ../shared are, seen from a bundled test in out/test/...
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';

function findRepoRoot(start: string): string {
  let dir = start;
  while (!existsSync(join(dir, 'package.json')) || !existsSync(join(dir, 'core'))) {
    const parent = dirname(dir);
    if (parent === dir) throw new Error(`no repository root above ${start}`);
    dir = parent;
  }
  return dir;
}

export const repoRoot = findRepoRoot(__dirname);
export const cliPath = join(repoRoot, 'dist', 'cli.js');
export const serverPath = join(repoRoot, 'dist', 'server.js');
/** ../shared beside the checkout; absent in a user's fresh clone (tests that need it skip). */
export const sharedDir = resolve(repoRoot, '..', 'shared');
export const hasShared = existsSync(join(sharedDir, 'DESIGN.md'));
export const SHARED_MISSING = '../shared is not beside the checkout';
/** The 2008 RFC's patch mail, and the tree it applies to. */
export const SEED_PATCH = join(sharedDir, 'seed', '0001-Extend-sys_clone-and-sys_unshare-system-calls-API.patch');
export const SEED_TREE = join(sharedDir, 'fixtures', 'linux-2.6.24-rc6-mm1');
/** Why tests of the RFC on its tree cannot run here, or false (a `skip` option). */
export const seedMissing = existsSync(SEED_PATCH) && existsSync(SEED_TREE) ? false : SHARED_MISSING;

/** Where a Linux 6.1 source tree may be: $SYSARG_KERNEL_SRC, a developer's unpacked tree, or where .ci/run unpacks Debian's linux-source-6.1. */
const KERNEL_TREES = [process.env.SYSARG_KERNEL_SRC, '/work/kernel-src/linux-source-6.1', '/usr/src/linux-source-6.1'];

/** The first of those trees that holds every one of `paths` (relative to its top). */
export function kernelTreeWith(...paths: string[]): string | undefined {
  return KERNEL_TREES.find((dir): dir is string => !!dir && paths.every((p) => existsSync(join(dir, p))));
}

/** 6.1's include/uapi/linux, where a tree holding it is unpacked. */
const uapiTop = kernelTreeWith('include/uapi/linux/sched.h', 'include/uapi/linux/types.h');
export const KERNEL_UAPI_LINUX = uapiTop && join(uapiTop, 'include/uapi/linux');

/** Why tests that diff the installed UAPI headers against 6.1's with `tools` cannot run here, or false. */
export function realDiffsMissing(...tools: string[]): string | false {
  if (!KERNEL_UAPI_LINUX) return "6.1's include/uapi/linux is not unpacked (apt-get install linux-source-6.1; see .ci/run)";
  if (!existsSync('/usr/include/linux/sched.h')) return '/usr/include/linux is not installed (linux-libc-dev)';
  for (const tool of tools) if (spawnSync(tool, ['--version']).error) return `${tool} is not installed`;
  return false;
}
