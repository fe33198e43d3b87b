// The workspace's .c files as evidence: a struct kernel code copies in with copy_struct_from_user() is extensible.
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { after, describe, it } from 'node:test';
import { positionOf, startServer, type TestClient, type TextDiagnostic } from '../helpers/lsp-client';
import { writeTempTree } from '../helpers/temp-tree';

const skip = existsSync('/usr/include/linux/types.h') ? false : '/usr/include/linux is not installed (linux-libc-dev)';

// hsmp_message's shape (arch/x86/include/uapi/asm/amd_hsmp.h): 2 bytes of tail padding, nothing saying it is versioned.
const HEADER = '#include <linux/types.h>\nstruct hsmp_message {\n\t__u32 msg_id;\n\t__u16 num_args;\n\t__u16 response_sz;\n\t__u32 args[8];\n\t__u16 sock_ind;\n};\n';
const SOURCE = '#include "amd_hsmp.h"\n\nstatic long hsmp_ioctl(void __user *arguser)\n{\n\tstruct hsmp_message msg = { 0 };\n\n\treturn copy_struct_from_user(&msg, sizeof(msg), arguser, sizeof(msg));\n}\n';
const WITHOUT_CALL = SOURCE.replace('copy_struct_from_user(&msg, sizeof(msg), arguser, sizeof(msg))', 'copy_from_user(&msg, arguser, sizeof(msg))');

/** The codes of the first publication for `uri` that `wanted` accepts, waiting through earlier ones. */
async function diagnosticsUntil(client: TestClient, uri: string, wanted: (codes: string[]) => boolean): Promise<string[]> {
  const deadline = Date.now() + 20_000;
  for (;;) {
    const codes = (await client.diagnostics(uri)).map((d: TextDiagnostic) => String(d.code));
    if (wanted(codes)) return codes;
    if (Date.now() > deadline) throw new Error(`diagnostics stayed ${JSON.stringify(codes)}`);
    client.forgetDiagnostics(uri);
  }
}

describe('copy_struct_from_user() in the workspace', { skip }, () => {
  const clients: TestClient[] = [];
  after(async () => Promise.all(clients.map((c) => c.stop())));

  it('reads the workspace .c files in the background; an open buffer stands for its file', async () => {
    const dir = writeTempTree('sysarg-copies-', { 'amd_hsmp.h': HEADER, 'drivers/hsmp.c': SOURCE, 'node_modules/x/copy.c': SOURCE });
    const client = await startServer({ rootPath: dir });
    clients.push(client);
    const header = client.open(join(dir, 'amd_hsmp.h'), HEADER);
    assert.deepEqual(await diagnosticsUntil(client, header, (codes) => codes.includes('implicit-padding')), ['implicit-padding']);
    const hover = await client.hover(header, positionOf(HEADER, 'hsmp_message').line, positionOf(HEADER, 'hsmp_message').character + 2);
    assert.match(hover ?? '', /Extensible because kernel code copies it in with copy_struct_from_user\(\) \(drivers\/hsmp\.c:7\)\./, 'the path in the workspace folder');

    // The call taken out in the editor (not saved): the struct is no longer evidently extensible.
    client.forgetDiagnostics(header);
    const source = client.open(join(dir, 'drivers/hsmp.c'), WITHOUT_CALL);
    assert.deepEqual(await diagnosticsUntil(client, header, (codes) => !codes.includes('implicit-padding')), []);
    // Closed unsaved: the file on disk, with the call, counts again.
    client.forgetDiagnostics(header);
    client.close(source);
    assert.deepEqual(await diagnosticsUntil(client, header, (codes) => codes.includes('implicit-padding')), ['implicit-padding']);
  });

  it('says a reserved member is never checked, until the buffer copying the struct in reads it', async () => {
    const header = HEADER.replace('\t__u16 sock_ind;\n', '\t__u16 sock_ind;\n\t__u16 __reserved;\n');
    const unchecked = SOURCE;
    // The call stays where it was: only what the file reads changes.
    const checked = SOURCE.replace('sizeof(msg));\n}', 'sizeof(msg)) ?: (msg.__reserved ? -EINVAL : 0);\n}');
    assert.notEqual(checked, SOURCE);
    const dir = writeTempTree('sysarg-copies-', { 'amd_hsmp.h': header, 'drivers/hsmp.c': unchecked });
    const client = await startServer({ rootPath: dir });
    clients.push(client);
    const uri = client.open(join(dir, 'amd_hsmp.h'), header);
    assert.deepEqual(await diagnosticsUntil(client, uri, (codes) => codes.includes('reserved-unchecked')), ['reserved-unchecked']);
    const message = (await client.diagnostics(uri)).find((d) => d.code === 'reserved-unchecked')?.message;
    assert.match(message ?? '', /^'__reserved' of struct hsmp_message is never read in .*drivers\/hsmp\.c, which copies it in/);
    client.forgetDiagnostics(uri);
    client.open(join(dir, 'drivers/hsmp.c'), checked);
    assert.deepEqual(await diagnosticsUntil(client, uri, (codes) => !codes.includes('reserved-unchecked')), []);
  });

  it('follows .c files written on disk, as the client reports them, a checkout\'s thousand at once', async () => {
    const dir = writeTempTree('sysarg-copies-', { 'amd_hsmp.h': HEADER });
    const client = await startServer({ rootPath: dir, workspaceCapabilities: { didChangeWatchedFiles: { dynamicRegistration: true } } });
    clients.push(client);
    const header = client.open(join(dir, 'amd_hsmp.h'), HEADER);
    assert.deepEqual(await client.diagnostics(header), []);
    client.forgetDiagnostics(header);
    // A thousand files changed in one notification, the last of them copying the struct in.
    const paths = Array.from({ length: 1000 }, (_, i) => join(dir, `drivers/file${i}.c`));
    mkdirSync(join(dir, 'drivers'));
    paths.forEach((path, i) => writeFileSync(path, i === paths.length - 1 ? SOURCE : WITHOUT_CALL));
    void client.connection.sendNotification('workspace/didChangeWatchedFiles', { changes: paths.map((path) => ({ uri: pathToFileURL(path).toString(), type: 1 })) });
    assert.deepEqual(await diagnosticsUntil(client, header, (codes) => codes.includes('implicit-padding')), ['implicit-padding']);
    // Deleted: the struct is no longer copied in.
    client.forgetDiagnostics(header);
    rmSync(paths[paths.length - 1]);
    void client.connection.sendNotification('workspace/didChangeWatchedFiles', { changes: [{ uri: pathToFileURL(paths[paths.length - 1]).toString(), type: 3 }] });
    assert.deepEqual(await diagnosticsUntil(client, header, (codes) => !codes.includes('implicit-padding')), []);
    // A client that can watch files is asked to, for every file the server reads.
    const watch = client.registrations().find((r) => r.method === 'workspace/didChangeWatchedFiles');
    assert.deepEqual(watch?.registerOptions, { watchers: [{ globPattern: '**/{*.h,*.c,*.hh,*.hpp,*.cc,*.cpp,*.inc,*.patch,*.diff,*.mbox,*.mbx,*.eml,compile_commands.json}' }] });
  });
});
