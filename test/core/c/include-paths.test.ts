// Include path joining and normalising (a fast path skips paths that are already normal).
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { dirname, joinPath, normalizePath } from '../../../core/c/include-paths';

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
});
