// Which structs of the installed UAPI headers Sysarg takes for extensible syscall args, against what the kernel does with them.
import assert from 'node:assert/strict';
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { SourceCache } from '../../core/c/source-cache';
import { analyzeDocument } from '../../core/document-analysis';
import { nodeFileHost } from '../../cli/node-host';

const UAPI = '/usr/include/linux';
const missing = existsSync(`${UAPI}/sched.h`) && existsSync(`${UAPI}/fuse.h`) ? false : '/usr/include/linux is not installed (linux-libc-dev)';

/** Every struct of the headers under /usr/include/linux that is taken for extensible, with why. */
function extensibleStructs(): Map<string, string[]> {
  const cache = new SourceCache(nodeFileHost);
  const out = new Map<string, string[]>();
  const headers = (readdirSync(UAPI, { recursive: true }) as string[]).filter((p) => p.endsWith('.h')).sort();
  for (const header of headers) {
    const root = cache.get(join(UAPI, header));
    if (!root) continue;
    for (const record of analyzeDocument(cache, root, ['x86_64'], {}).records) {
      if (record.extensible.extensible) out.set(record.name, record.extensible.reasons);
    }
  }
  return out;
}

describe('extensible structs among the installed UAPI headers', { skip: missing }, () => {
  const found = missing ? new Map<string, string[]>() : extensibleStructs();

  it('finds the size-versioned syscall and ioctl structs', () => {
    for (const name of ['clone_args', 'sched_attr', 'perf_event_attr', 'mount_attr', 'usbdevfs_conninfo_ex']) assert.ok(found.has(name), `${name} is not taken for extensible`);
    assert.ok(found.get('usbdevfs_conninfo_ex')?.some((r) => /own size, as its comment says \("Size of the structure from the kernel's point of view\."\)/.test(r)));
  });

  it("leaves the structs whose leading 'size' counts something else", () => {
    // fuse's xattr and write sizes, floppy_struct's sectors, nfs3_fh's handle bytes, a PCI test transfer, a firmware file.
    for (const name of ['fuse_write_out', 'fuse_getxattr_in', 'fuse_secctx_header', 'floppy_struct', 'nfs3_fh', 'pci_endpoint_test_xfer_param', 'fw_cfg_file', 'hidraw_report_descriptor']) {
      assert.equal(found.has(name), false, `${name} is taken for extensible: ${found.get(name)}`);
    }
  });
});
