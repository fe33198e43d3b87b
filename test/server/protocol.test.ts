// The built language server over stdio, driven by a real LSP client: hover, symbols, lenses, hints, diagnostics.
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { after, before, describe, it } from 'node:test';
import type { FlagsResult } from '../../core/protocol';
import { cloneFlags } from '../helpers/flag-text';
import { positionOf, startServer, type TestClient } from '../helpers/lsp-client';

const SCHED = '/usr/include/linux/sched.h';
const HAS_UAPI = existsSync(SCHED) && existsSync('/usr/include/linux/types.h');

describe('language server over stdio', { skip: HAS_UAPI ? false : 'linux UAPI headers (linux-libc-dev) are not installed' }, () => {
  let client: TestClient;
  let dir: string;

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'sysarg-lsp-'));
    client = await startServer({ settings: { targets: ['x86_64', 'i386'], inlayHints: { enabled: true } } });
  });
  after(async () => client?.stop());

  /** Saves `text` as `name` in the test folder and opens it as an editor buffer; its URI. */
  function openSaved(name: string, text: string): string {
    const path = join(dir, name);
    writeFileSync(path, text);
    return client.open(path, text);
  }

  it('hovers struct clone_args in the system header with size 88 on x86_64', async () => {
    const text = readFileSync(SCHED, 'utf8');
    const uri = client.open(SCHED, text);
    const pos = positionOf(text, 'struct clone_args {', 'struct '.length + 2);
    const hover = await client.hover(uri, pos.line, pos.character);
    assert.ok(hover, 'no hover on clone_args');
    assert.match(hover, /\*\*struct clone_args\*\*/);
    assert.match(hover, /\| x86_64 \| 88 \| 8 \|/);
    assert.match(hover, /\| i386 \| 88 \| 8 \|/);
    assert.match(hover, /CLONE_ARGS_SIZE_VER0 = 64/);
  });

  it('shows a member offset of 8 on x86_64 and 4 on i386', async () => {
    const text = '#include <linux/types.h>\nstruct s { __u32 a; __u64 b; };\n';
    const uri = openSaved('s.h', text);
    const pos = positionOf(text, '__u64 b', 6);
    const hover = await client.hover(uri, pos.line, pos.character);
    assert.ok(hover);
    assert.match(hover, /\| x86_64 \| 8 \| 8 \| 8 \|/);
    assert.match(hover, /\| i386 \| 4 \| 8 \| 4 \|/);
    assert.match(hover, /offset 8 on x86_64, 4 on i386/);
    const structHover = await client.hover(uri, 1, 8);
    assert.match(structHover ?? '', /\| x86_64 \| 16 \| 8 \|/);
    assert.match(structHover ?? '', /\| i386 \| 12 \| 4 \|/);
    assert.match(structHover ?? '', /^x86_64: holes: 4 bytes at 4\.$/m);
    assert.doesNotMatch(structHover ?? '', /^i386:/m, 'no hole on i386');
  });

  it('lists holes, tail padding and explicit padding per target in a struct hover', async () => {
    const text = '#include <linux/types.h>\nstruct pad { __u8 type; __u32 :24; __u64 big; __u8 tail; };\n';
    const uri = openSaved('pad.h', text);
    const hover = (await client.hover(uri, 1, 8)) ?? '';
    assert.match(hover, /^x86_64: holes: 4 bytes at 4; 7 bytes of tail padding; explicit padding \(unnamed bit-fields\): 3 bytes at 1\.$/m);
    assert.match(hover, /^i386: 3 bytes of tail padding; explicit padding \(unnamed bit-fields\): 3 bytes at 1\.$/m);
  });

  it('names an array or pointer member in a hover as C declares it', async () => {
    const text = '#include <linux/types.h>\nstruct arr { __u8 name[16]; struct arr *next; };\n';
    const uri = openSaved('arr.h', text);
    const name = positionOf(text, 'name[16]', 1);
    assert.match((await client.hover(uri, name.line, name.character)) ?? '', /^\*\*__u8 name\[16\]\*\*/);
    const next = positionOf(text, 'next;', 1);
    assert.match((await client.hover(uri, next.line, next.character)) ?? '', /^\*\*struct arr \*next\*\*/);
  });

  it('lists document symbols, code lenses and inlay hints for the structs', async () => {
    const text = '#include <linux/types.h>\nstruct a { __u8 x; __u32 y; };\nenum e { E0, E1 };\nstruct b { __u64 z; };\n';
    const uri = openSaved('two.h', text);
    const symbols = await client.request<{ name: string; children?: { name: string }[] }[]>('textDocument/documentSymbol', { textDocument: { uri } });
    assert.deepEqual(symbols.map((s) => s.name), ['struct a', 'enum e', 'struct b']);
    assert.deepEqual(symbols[0].children?.map((c) => c.name), ['x', 'y']);
    const lenses = await client.request<{ range: { start: { line: number } }; command: { title: string } }[]>('textDocument/codeLens', { textDocument: { uri } });
    assert.equal(lenses.length, 2);
    assert.match(lenses[0].command.title, /^8 bytes, align 4, 2 members/);
    assert.match(lenses[0].command.title, /3 bytes padding/);
    assert.equal(lenses[1].range.start.line, 3);
    const hints = await client.request<{ label: string; position: { line: number } }[]>('textDocument/inlayHint', { textDocument: { uri }, range: { start: { line: 0, character: 0 }, end: { line: 4, character: 0 } } });
    const labels = hints.map((h) => h.label.trim());
    assert.ok(labels.includes('@0 1B'), labels.join(', '));
    assert.equal(labels.filter((l) => l === '⟨3-byte hole⟩').length, 1, `one hole marker where both targets have the hole: ${labels.join(', ')}`);
  });

  it('marks a hole after the last bit-field sharing its byte', async () => {
    const text = '#include <linux/types.h>\nstruct bits {\n\t__u32 a:3;\n\t__u32 b:5;\n\t__u16 c;\n};\n';
    const uri = openSaved('bits.h', text);
    const hints = await client.request<{ label: string; position: { line: number } }[]>('textDocument/inlayHint', { textDocument: { uri }, range: { start: { line: 0, character: 0 }, end: { line: 6, character: 0 } } });
    const holes = hints.filter((h) => h.label.includes('hole'));
    assert.deepEqual(holes.map((h) => [h.label.trim(), h.position.line]), [['⟨1-byte hole⟩', 3]], 'after b (line 4), not a');
  });

  it('marks a hole after a nested struct (named or anonymous) after the struct, not inside it', async () => {
    const text = '#include <linux/types.h>\nstruct nest {\n\tstruct {\n\t\t__u8 p;\n\t} in;\n\t__u16 h;\n\tstruct {\n\t\t__u8 q;\n\t};\n\t__u32 z;\n};\n';
    const uri = openSaved('nest.h', text);
    const hints = await client.request<{ label: string; position: { line: number } }[]>('textDocument/inlayHint', { textDocument: { uri }, range: { start: { line: 0, character: 0 }, end: { line: 11, character: 0 } } });
    const holes = hints.filter((h) => h.label.includes('hole'));
    assert.deepEqual(holes.map((h) => [h.label.trim(), h.position.line]), [['⟨1-byte hole⟩', 4], ['⟨3-byte hole⟩', 8]], 'after "} in;" (line 5) and the anonymous struct\'s "};" (line 9)');
  });

  it('marks bytes filled with unnamed bit-fields as explicit padding, per target', async () => {
    const text = '#include <linux/types.h>\nstruct ep {\n\t__u8 type;\n\t__u32 :24;\n\tunion { void *ptr; __u64 :64; };\n};\n';
    const uri = openSaved('explicit.h', text);
    const hints = await client.request<{ label: string; position: { line: number } }[]>('textDocument/inlayHint', { textDocument: { uri }, range: { start: { line: 0, character: 0 }, end: { line: 6, character: 0 } } });
    const padding = hints.filter((h) => h.label.includes('padding') || h.label.includes('hole'));
    assert.deepEqual(padding.map((h) => [h.label.trim(), h.position.line]), [['⟨3-byte explicit padding⟩', 2], ['⟨4-byte hole on x86_64⟩', 2], ['⟨4-byte explicit padding on i386⟩', 4]], 'after type (then the hole before the union on x86_64), and in the union after the pointer on i386');
  });

  it('marks a hole no named member precedes before the member after it, and padding in a record of unnamed bit-fields after its name', async () => {
    const text = '#include <linux/types.h>\nstruct lead {\n\t__u32 :8;\n\t__u32 b;\n\tstruct {\n\t\t__u16 :16;\n\t\t__u16 c;\n\t} in;\n};\nstruct timer { __u64 :64; };\n';
    const uri = openSaved('lead.h', text);
    const hints = await client.request<{ label: string; position: { line: number; character: number } }[]>('textDocument/inlayHint', { textDocument: { uri }, range: { start: { line: 0, character: 0 }, end: { line: 10, character: 0 } } });
    const gaps = hints.filter((h) => h.label.includes('padding') || h.label.includes('hole'));
    assert.deepEqual(
      gaps.map((h) => [h.label.trim(), h.position.line, h.position.character]),
      [['⟨1-byte explicit padding⟩', 3, 1], ['⟨3-byte hole⟩', 3, 1], ['⟨2-byte explicit padding⟩', 6, 2], ['⟨8-byte explicit padding⟩', 9, 12]],
      'at the start of "__u32 b;" (line 4) and of "__u16 c;" (line 7), and after "struct timer" (line 10)',
    );
  });

  it('publishes what the flag rules find, with the flag a duplicate clashes with, and answers sysarg/flags', async () => {
    const text = `#define CSIGNAL 0xff\n${cloneFlags([8, 9, 10, 11])}#define CLONE_NEWFOO 0x00000400\n`;
    const uri = openSaved('flags.h', text);
    const found = (await client.diagnostics(uri)).filter((d) => d.code === 'flag-bit-duplicate');
    assert.deepEqual(found.map((d) => [d.range.start.line, d.range.start.character, d.severity]), [[5, 8, 1]]);
    assert.deepEqual(found[0].relatedInformation?.map((r) => [r.location.uri.endsWith('/flags.h'), r.location.range.start.line, r.message]), [[true, 3, 'CLONE_F10 takes bit 10 here']]);
    const result = await client.request<FlagsResult>('sysarg/flags', { uri });
    assert.deepEqual(result.families.map((f) => [f.prefix, f.words.map((w) => w.name)]), [['CLONE_', ['clone']]]);
    assert.deepEqual(result.diagnostics.map((d) => [d.rule, d.line]), [['flag-bit-duplicate', 6]]);
    const unopened = await client.request<FlagsResult>('sysarg/flags', { uri: pathToFileURL(SCHED).toString() });
    assert.deepEqual(unopened.families.find((f) => f.prefix === 'CLONE_')?.overlaps, [{ bit: 7, names: ['CSIGNAL', 'CLONE_NEWTIME'] }], 'a file not open is read from disk');
    await assert.rejects(client.request('sysarg/flags', {}), /sysarg\/flags needs \{ uri \}/);
  });

  it('answers sysarg/layout with the CLI contract for an open buffer', async () => {
    const path = join(dir, 'unsaved.h');
    const uri = client.open(path, 'struct u { char c; long l; };\n');
    const result = await client.request<{ version: number; records: { name: string; layouts: Record<string, { size: number }> }[] }>('sysarg/layout', { uri });
    assert.equal(result.version, 1);
    assert.equal(result.records[0].name, 'u');
    assert.equal(result.records[0].layouts.x86_64.size, 16);
    assert.equal(result.records[0].layouts.i386.size, 8);
    assert.ok(!('depths' in result.records[0]), 'the CLI contract has no depths');
  });

  it('gives sysarg/layout the nesting depth of every field when asked (the text view of Show Struct Layout)', async () => {
    const path = join(dir, 'nested.h');
    const uri = client.open(path, 'struct n { int a; union { int b; char c; }; struct { int d; } e; };\n');
    const result = await client.request<{ records: { depths?: number[]; layouts: Record<string, { fields: { path: string | null }[] }> }[] }>('sysarg/layout', { uri, depths: true });
    const record = result.records[0];
    assert.deepEqual(record.layouts.x86_64.fields.map((f) => f.path), ['a', null, 'b', 'c', 'e', 'e.d']);
    assert.deepEqual(record.depths, [0, 0, 1, 1, 0, 1]);
  });

  it('reports a half-typed struct and still serves the struct after it', async () => {
    const path = join(dir, 'half.h');
    const text = 'struct broken {\n\tint a;\n\tint b\n\tunsigned long c;\n};\n\nstruct fine { int x; long y; };\n';
    const uri = client.open(path, text);
    const diagnostics = await client.diagnostics(uri);
    assert.ok(diagnostics.length > 0);
    assert.ok(diagnostics.every((d) => d.source === 'sysarg'));
    for (const d of diagnostics) {
      const href = d.codeDescription?.href ?? '';
      const [file, anchor] = href.split('#');
      assert.equal(anchor, d.code, 'the link names the code');
      assert.match(readFileSync(fileURLToPath(file), 'utf8'), new RegExp(`id="${anchor}"`), `${href} documents the code`);
    }
    assert.ok(diagnostics.some((d) => d.range.start.line === 2 || d.range.start.line === 3), JSON.stringify(diagnostics));
    const pos = positionOf(text, 'struct fine', 8);
    assert.match((await client.hover(uri, pos.line, pos.character)) ?? '', /\| x86_64 \| 16 \| 8 \|/);
  });

  it('keeps the diagnostics current as the buffer changes', async () => {
    const path = join(dir, 'edit.h');
    const uri = client.open(path, 'struct e { int a; };\n');
    assert.deepEqual(await client.diagnostics(uri), []);
    client.change(uri, 2, 'struct e { int a; \n');
    const after = await client.diagnostics(uri);
    assert.ok(after.some((d) => /expected '}'/.test(d.message)), JSON.stringify(after));
  });

  it('simulates over sysarg/simulate, with the open buffer as the author\'s patch', async () => {
    const ok = await client.request<{ outcome: string; errno: string | null; child: { namespaces: Record<string, string> } }>('sysarg/simulate', {
      kernel: '6.1', syscall: 'clone3', flags: ['CLONE_NEWPID'], size: 88, fields: { exit_signal: 17 },
    });
    assert.equal(ok.outcome, 'success');
    assert.equal(ok.child.namespaces.pid, 'new');
    const path = join(dir, 'patch.h');
    const fields = ['flags', 'pidfd', 'child_tid', 'parent_tid', 'exit_signal', 'stack', 'stack_size', 'tls', 'set_tid', 'set_tid_size', 'cgroup', 'extra'];
    const text = `#include <linux/types.h>\n#define CLONE_NEWFOO 0x400000000ULL\nstruct clone_args {\n${fields.map((f) => `\t__aligned_u64 ${f};`).join('\n')}\n};\n`;
    const uri = client.open(path, text);
    const patched = await client.request<{ outcome: string; kernel: string }>('sysarg/simulate', {
      uri, kernel: '6.1+patch', syscall: 'clone3', flags: ['CLONE_NEWFOO'], size: 96, fields: { exit_signal: 17, extra: 1 },
    });
    assert.equal(patched.outcome, 'success');
    const matrix = await client.request<{ kernels: string[] }>('sysarg/matrix', { uri, struct: 'clone_args' });
    assert.ok(matrix.kernels.includes('6.1+patch'), matrix.kernels.join(', '));
  });

  it('answers bad simulator input with an error response, not a crash', async () => {
    await assert.rejects(client.request('sysarg/simulate', { kernel: '6.1', syscall: 'clone3', flags: ['CLONE_BOGUS'] }), /CLONE_BOGUS/);
    await assert.rejects(client.request('sysarg/simulate', { kernel: '6.1', syscall: 'clone3', flags: [], size: -5 }), /size/);
    await assert.rejects(client.request('sysarg/matrix', { kernels: ['9.99'] }), /9\.99/);
    const again = await client.request<{ outcome: string }>('sysarg/simulate', { kernel: '6.1', syscall: 'unshare', flags: [] });
    assert.equal(again.outcome, 'success');
  });
});
