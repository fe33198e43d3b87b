// Include path joining and normalising (a fast path skips paths that are already normal), and each target's system
// include directories.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { TARGETS } from '../../../core/abi/targets';
import { asmGenericDir, BUILTIN_DIR } from '../../../core/c/builtin-headers';
import { dirname, joinPath, normalizePath, systemIncludeDirs } from '../../../core/c/include-paths';

describe('include paths', () => {
  it('normalises . and .. components, empty components and trailing slashes', () => {
    const cases: [string, string][] = [
      ['/usr/include/linux/types.h', '/usr/include/linux/types.h'],
      ['/a/./b', '/a/b'],
      ['/a/../b', '/b'],
      ['/../a', '/a'],
      ['a//b', 'a/b'],
      ['./x', 'x'],
      ['../x', '../x'],
      ['a/../../x', '../x'],
      ['x/', 'x'],
      ['/', '/'],
      ['.', '.'],
      ['..', '..'],
      ['a/b/..', 'a'],
      ['/a/b/.', '/a/b'],
      ['a.b/c..d', 'a.b/c..d'],
      ['/x/.hidden/..hidden/...', '/x/.hidden/..hidden/...'],
      ['<sysarg-builtin>/stddef.h', '<sysarg-builtin>/stddef.h'],
    ];
    for (const [path, normal] of cases) assert.equal(normalizePath(path), normal, path);
  });

  it('joins a directory and an include name', () => {
    assert.equal(joinPath('/usr/include', 'linux/types.h'), '/usr/include/linux/types.h');
    assert.equal(joinPath('/usr/include/', '../include/asm/types.h'), '/usr/include/asm/types.h');
    assert.equal(joinPath('/x', '/abs/y.h'), '/abs/y.h');
    assert.equal(joinPath('.', 'y.h'), 'y.h');
    assert.equal(dirname('/usr/include/linux/types.h'), '/usr/include/linux');
    assert.equal(dirname('types.h'), '.');
  });

  it("searches a cross toolchain's headers, and only those, for a target the host has no multiarch directory for", () => {
    const dirs = (existing: string[], target: keyof typeof TARGETS, usrInclude?: string) =>
      systemIncludeDirs(TARGETS[target], (p) => existing.includes(p), { compilerIncludeDir: '/gcc/include', usrInclude });
    const host = ['/usr/include', '/usr/include/x86_64-linux-gnu'];
    assert.deepEqual(dirs([...host, '/usr/aarch64-linux-gnu/include'], 'aarch64'), ['/gcc/include', '/usr/aarch64-linux-gnu/include', BUILTIN_DIR], 'as aarch64-linux-gnu-gcc searches');
    assert.deepEqual(dirs([...host, '/usr/include/aarch64-linux-gnu', '/usr/aarch64-linux-gnu/include'], 'aarch64'), ['/gcc/include', '/usr/local/include', '/usr/include/aarch64-linux-gnu', '/usr/include', BUILTIN_DIR], 'a native multiarch directory wins');
    // No cross headers: the generic asm/ where the target's own would be, then the host's (for libc), whose asm/ may be x86's.
    assert.deepEqual(dirs(host, 'aarch64'), ['/gcc/include', '/usr/local/include', asmGenericDir(64), '/usr/include', BUILTIN_DIR]);
    assert.deepEqual(dirs(host, 'arm'), ['/gcc/include', '/usr/local/include', asmGenericDir(32), '/usr/include', BUILTIN_DIR]);
    assert.deepEqual(dirs([...host, '/usr/include/arm-linux-gnueabi'], 'arm'), ['/gcc/include', '/usr/local/include', '/usr/include', '/usr/include/arm-linux-gnueabi', BUILTIN_DIR], 'a sibling ABI\'s asm/ serves instead');
    assert.deepEqual(dirs(host, 'x86_64'), ['/gcc/include', '/usr/local/include', '/usr/include/x86_64-linux-gnu', '/usr/include', BUILTIN_DIR]);
    assert.deepEqual(dirs(['/sys/include', '/usr/aarch64-linux-gnu/include'], 'aarch64', '/sys/include').includes('/usr/aarch64-linux-gnu/include'), false, 'a given root of system headers is kept');
  });
});
