// The in-editor cases: what a kernel developer sees in real VS Code (activation, hovers, symbols, lenses, diagnostics, grammar).
import * as assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import * as vscode from 'vscode';
import type { EditorCase } from './harness';
import {
  EXTENSION_ID,
  codeLenses,
  describeLenses,
  documentSymbols,
  expectHover,
  openInEditor,
  pollUntil,
  positionOf,
  symbolRange,
  workspaceFile,
  writeAndPoll,
  writeWorkspaceFile,
} from './editor-helpers';

const PATCH_FILE = '0001-frob-add-a-cookie-to-struct-frob_args.patch';
const SYSTEM_SCHED_H = '/usr/include/linux/sched.h';

/** A row `| name | v1 | v2 ... |` of the hover's Markdown table, spaces free. */
function row(...cells: string[]): RegExp {
  return new RegExp(`^\\|\\s*${cells.join('\\s*\\|\\s*')}\\s*\\|`, 'm');
}

interface SysargExports {
  client?: { isRunning(): boolean; clientOptions: { documentSelector?: vscode.DocumentSelector } };
}

function sysargExtension(): vscode.Extension<SysargExports> {
  const extension = vscode.extensions.getExtension<SysargExports>(EXTENSION_ID);
  assert.ok(extension, `extension ${EXTENSION_ID} is not loaded from the extensionDevelopmentPath`);
  return extension;
}

async function activationAndCommands(): Promise<void> {
  const extension = sysargExtension();
  assert.equal(extension.isActive, false, 'the extension was already active before any C or patch file was opened');

  const patch = await openInEditor(workspaceFile(PATCH_FILE));
  assert.equal(patch.languageId, 'diff', `${PATCH_FILE} opened as '${patch.languageId}', not diff`);
  await pollUntil(
    () => extension.isActive,
    Boolean,
    () => 'the extension did not activate after a .patch file was opened',
  );

  const header = await openInEditor(workspaceFile('layout.h'));
  assert.ok(['c', 'cpp'].includes(header.languageId), `layout.h opened as '${header.languageId}'`);
  const events: string[] = extension.packageJSON.activationEvents ?? [];
  assert.ok(events.includes(`onLanguage:${header.languageId}`), `no onLanguage:${header.languageId} activation event in ${JSON.stringify(events)}`);

  const client = extension.exports?.client;
  assert.ok(client, 'activate() did not return the language client in its exports');
  assert.equal(client.isRunning(), true, 'the language client is not running');
  const selector = client.clientOptions.documentSelector;
  assert.ok(selector, 'the language client has no document selector');
  assert.ok(vscode.languages.match(selector, header) > 0, 'the language client does not take the C header');
  assert.ok(vscode.languages.match(selector, patch) > 0, 'the language client does not take the .patch file');

  const commands = await vscode.commands.getCommands(true);
  for (const command of ['sysarg.showLayout', 'sysarg.restartServer']) {
    assert.ok(commands.includes(command), `command ${command} is not registered`);
  }
}

/** The workspace copy of the system's sched.h (Debian linux-libc-dev), made once. */
async function schedHeader(): Promise<vscode.TextDocument> {
  assert.ok(existsSync(SYSTEM_SCHED_H), `${SYSTEM_SCHED_H} is missing (Debian package linux-libc-dev)`);
  const uri = await writeWorkspaceFile('sched.h', readFileSync(SYSTEM_SCHED_H, 'utf8'));
  return openInEditor(uri);
}

async function hoverOnCloneArgs(): Promise<void> {
  const document = await schedHeader();
  const tag = positionOf(document, 'struct clone_args {', 'struct clone_'.length);
  await expectHover(
    document.uri,
    tag,
    [/\*\*struct clone_args\*\*/, row('target', 'size', 'align'), row('x86_64', '88', '8'), row('i386', '88')],
    'struct clone_args',
  );
}

async function hoverOnMemberB(): Promise<void> {
  const document = await openInEditor(workspaceFile('layout.h'));
  const member = positionOf(document, 'struct s { __u32 a; __u64 b; };', 'struct s { __u32 a; __u64 '.length);
  await expectHover(
    document.uri,
    member,
    [row('target', 'offset', 'size', 'align'), row('x86_64', '8', '8', '8'), row('i386', '4', '8', '4'), /differ/i],
    'member b of struct s',
  );
}

function isNamed(symbol: { name: string }, tag: string): boolean {
  return new RegExp(`^(struct\\s+)?${tag}$`).test(symbol.name);
}

async function symbolsAndCodeLens(): Promise<void> {
  const layout = await openInEditor(workspaceFile('layout.h'));
  const layoutSymbols = await pollUntil(
    () => documentSymbols(layout.uri),
    (symbols) => ['s', 's_portable'].every((tag) => symbols.some((s) => isNamed(s, tag))),
    (last) => `layout.h: document symbols lack struct s or struct s_portable; got [${(last ?? []).map((s) => s.name).join(', ')}]`,
  );
  assert.ok(layoutSymbols.length >= 2);

  const sched = await schedHeader();
  const symbols = await pollUntil(
    () => documentSymbols(sched.uri),
    (found) => found.some((s) => isNamed(s, 'clone_args')),
    (last) => `sched.h: document symbols lack struct clone_args; got [${(last ?? []).map((s) => s.name).join(', ')}]`,
  );
  const cloneArgs = symbols.find((s) => isNamed(s, 'clone_args'));
  assert.ok(cloneArgs);
  const structLine = positionOf(sched, 'struct clone_args {').line;
  assert.ok(symbolRange(cloneArgs).contains(new vscode.Position(structLine, 0)), 'the clone_args symbol does not cover its struct');

  await pollUntil(
    () => codeLenses(sched.uri),
    (lenses) =>
      lenses.some((l) => l.range.start.line <= structLine && l.range.end.line >= structLine && /\b88 bytes\b/.test(l.command?.title ?? '')),
    (last) => `sched.h: no code lens over struct clone_args (line ${structLine + 1}) saying '88 bytes'; lenses: ${describeLenses(last ?? [])}`,
  );
}

const HALF_TYPED = `#include <linux/types.h>

struct half {
\t__u64 a;
\t__u64 b;
};

struct after {
\t__u64 x;
\t__u32 y;
\t__u32 z;
};
`;

async function halfTypedStruct(): Promise<void> {
  const document = await openInEditor(await writeWorkspaceFile('half-typed.h', HALF_TYPED));
  const afterTag = positionOf(document, 'struct after', 'struct af'.length);
  const afterPatterns = [/\*\*struct after\*\*/, row('x86_64', '16', '8')];
  await expectHover(document.uri, afterTag, afterPatterns, 'struct after before the edit');

  // Type half a member into struct half, as a developer in the middle of adding `__u32 c;`.
  const editor = await vscode.window.showTextDocument(document);
  const insertAt = positionOf(document, '};');
  assert.ok(await editor.edit((edit) => edit.insert(insertAt, '\t__u3\n')), 'the edit was not applied');
  const typedLine = insertAt.line;

  await pollUntil(
    () => vscode.languages.getDiagnostics(document.uri),
    (diagnostics) =>
      diagnostics.some((d) => d.source === 'sysarg' && d.range.start.line >= typedLine && d.range.start.line <= typedLine + 1),
    (last) => {
      const shown = (last ?? []).map((d) => `${d.source ?? '?'} line ${d.range.start.line + 1}: ${d.message}`).join('; ');
      return `no diagnostic with source 'sysarg' at the half-typed member (line ${typedLine + 1}); diagnostics: ${shown || 'none'}`;
    },
  );
  await expectHover(document.uri, positionOf(document, 'struct after', 'struct af'.length), afterPatterns, 'struct after after the half-typed edit');
}

async function showStructLayout(): Promise<void> {
  const document = await openInEditor(await writeWorkspaceFile('nested.h', 'struct n {\n\tint a;\n\tunion {\n\t\tint b;\n\t\tchar c;\n\t};\n};\n'));
  // The command lays out the active editor's document: it is made active before each try (a try opens the layout beside).
  const shown = await pollUntil(
    async () => {
      await vscode.window.showTextDocument(document);
      await vscode.commands.executeCommand('sysarg.showLayout');
      return vscode.window.activeTextEditor?.document;
    },
    (d) => d !== undefined && d.uri.toString() !== document.uri.toString() && d.getText().includes('struct n {'),
    (d) => `Sysarg: Show Struct Layout showed no layout of struct n; the active document: ${d?.uri.toString() ?? 'none'}`,
  );
  assert.ok(shown);
  const text = shown.getText();
  assert.equal(shown.languageId, 'c');
  assert.match(text, /\n\tunion \{\n\t\tint b; +\/\* 4 4 +\*\/\n\t\tchar c; +\/\* 4 1 +\*\/\n\t\}; +\/\* 4 4 +\*\//, `the anonymous union is not nested:\n${text}`);
}

/** The workspace's patch mail, applied to the workspace's frob.h: the member it adds hovered and the struct lensed in the mail. */
async function patchMail(): Promise<void> {
  const patch = await openInEditor(workspaceFile(PATCH_FILE));
  const cookie = positionOf(patch, '+\t__aligned_u64 cookie;', '+\t__aligned_u64 coo'.length);
  await expectHover(patch.uri, cookie, [row('target', 'offset', 'size', 'align'), row('x86_64', '16', '8', '8')], 'the added member cookie in the patch mail');
  const structLine = positionOf(patch, ' struct frob_args {').line;
  await pollUntil(
    () => codeLenses(patch.uri),
    (lenses) => lenses.some((l) => l.range.start.line === structLine && /\b40 bytes\b/.test(l.command?.title ?? '')),
    (last) => `${PATCH_FILE}: no code lens saying '40 bytes' over struct frob_args (line ${structLine + 1}); lenses: ${describeLenses(last ?? [])}`,
  );
}

/** A diagnostic's code: VS Code gives `{ value, target }` where the server linked the code to its documentation. */
function codeOf(d: vscode.Diagnostic): string {
  return typeof d.code === 'object' ? String(d.code.value) : String(d.code);
}

/** The mail inserts cookie before the published mode: the rule the 2008 RFC wrote down, an error at the + line. */
async function nonTailInsertion(): Promise<void> {
  const patch = await openInEditor(workspaceFile(PATCH_FILE));
  const cookieLine = positionOf(patch, '+\t__aligned_u64 cookie;').line;
  await pollUntil(
    () => vscode.languages.getDiagnostics(patch.uri),
    (diagnostics) => diagnostics.some((d) => d.source === 'sysarg' && codeOf(d) === 'non-tail-insertion' && d.range.start.line === cookieLine && d.severity === vscode.DiagnosticSeverity.Error && /before 'mode'/.test(d.message)),
    (last) => {
      const shown = (last ?? []).map((d) => `${codeOf(d)} line ${d.range.start.line + 1}: ${d.message}`).join('; ');
      return `${PATCH_FILE}: no non-tail-insertion error at the + line of cookie (line ${cookieLine + 1}); diagnostics: ${shown || 'none'}`;
    },
  );
}

/** A hole in an extensible struct: the quick fix VS Code offers fills it with an explicit member, and the warning goes. */
async function quickFix(): Promise<void> {
  const text = '#include <linux/types.h>\n/* sysarg: extensible */\nstruct pad_args {\n\t__u32 mode;\n\t__aligned_u64 fd;\n};\n#define PAD_ARGS_SIZE_VER0 16\n';
  const document = await openInEditor(await writeWorkspaceFile('pad-args.h', text));
  const mode = positionOf(document, '__u32 mode;');
  const padding = (diagnostics: readonly vscode.Diagnostic[]) => diagnostics.filter((d) => codeOf(d) === 'implicit-padding');
  await pollUntil(
    () => vscode.languages.getDiagnostics(document.uri),
    (diagnostics) => padding(diagnostics).length === 1,
    (last) => `pad-args.h: no implicit-padding warning; diagnostics: ${(last ?? []).map((d) => `${codeOf(d)}: ${d.message}`).join('; ') || 'none'}`,
  );
  const actions = await pollUntil(
    async () => (await vscode.commands.executeCommand<vscode.CodeAction[]>('vscode.executeCodeActionProvider', document.uri, new vscode.Range(mode, mode))) ?? [],
    (list) => list.some((a) => a.title.startsWith('Insert __u32 __reserved_mode;')),
    (last) => `pad-args.h: no quick fix inserting __u32 __reserved_mode; actions: ${(last ?? []).map((a) => a.title).join('; ') || 'none'}`,
  );
  const fix = actions.find((a) => a.title.startsWith('Insert __u32 __reserved_mode;')) as vscode.CodeAction;
  assert.ok(fix.edit && (await vscode.workspace.applyEdit(fix.edit)), 'the quick fix did not apply');
  assert.match(document.getText(), /\t__u32 mode;\n\t__u32 __reserved_mode;\n\t__aligned_u64 fd;/);
  await pollUntil(
    () => vscode.languages.getDiagnostics(document.uri),
    (diagnostics) => padding(diagnostics).length === 0,
    (last) => `pad-args.h: the implicit-padding warning stayed after the fix: ${padding(last ?? []).map((d) => d.message).join('; ')}`,
  );
}

/** A patch mail adding a struct with a hole: the quick fix writes the explicit member into the mail, the hunk header follows. */
async function patchMailQuickFix(): Promise<void> {
  const mail = [
    'Subject: [PATCH] frob: add struct frob_info',
    '',
    '---',
    'diff --git a/include/uapi/linux/frob_info.h b/include/uapi/linux/frob_info.h',
    'new file mode 100644',
    '--- /dev/null',
    '+++ b/include/uapi/linux/frob_info.h',
    '@@ -0,0 +1,6 @@',
    '+#include <linux/types.h>',
    '+/* sysarg: extensible */',
    '+struct frob_info {',
    '+\t__u32 mode;',
    '+\t__aligned_u64 fd;',
    '+};',
    '',
  ].join('\n');
  const patch = await openInEditor(await writeWorkspaceFile('0002-frob-add-struct-frob_info.patch', mail));
  const mode = positionOf(patch, '+\t__u32 mode;', 3);
  const padding = (diagnostics: readonly vscode.Diagnostic[]) => diagnostics.filter((d) => codeOf(d) === 'implicit-padding');
  await pollUntil(
    () => vscode.languages.getDiagnostics(patch.uri),
    (diagnostics) => padding(diagnostics).length === 1,
    (last) => `the frob_info mail: no implicit-padding warning; diagnostics: ${(last ?? []).map((d) => `${codeOf(d)}: ${d.message}`).join('; ') || 'none'}`,
  );
  const title = 'Insert __u32 __reserved_mode;';
  const actions = await pollUntil(
    async () => (await vscode.commands.executeCommand<vscode.CodeAction[]>('vscode.executeCodeActionProvider', patch.uri, new vscode.Range(mode, mode))) ?? [],
    (list) => list.some((a) => a.title.startsWith(title)),
    (last) => `the frob_info mail: no quick fix inserting __u32 __reserved_mode; actions: ${(last ?? []).map((a) => a.title).join('; ') || 'none'}`,
  );
  const fix = actions.find((a) => a.title.startsWith(title)) as vscode.CodeAction;
  assert.ok(fix.edit && (await vscode.workspace.applyEdit(fix.edit)), 'the quick fix did not apply to the mail');
  assert.match(patch.getText(), /@@ -0,0 \+1,7 @@\n[^]*\n\+\t__u32 mode;\n\+\t__u32 __reserved_mode;\n\+\t__aligned_u64 fd;\n/);
  await pollUntil(
    () => vscode.languages.getDiagnostics(patch.uri),
    (diagnostics) => padding(diagnostics).length === 0,
    (last) => `the frob_info mail: the implicit-padding warning stayed after the fix: ${padding(last ?? []).map((d) => d.message).join('; ')}`,
  );
}

/** The same mail as b4 writes a series (a .mbx mailbox): opened as diff, so Sysarg reads it, the added member hovered. */
async function b4Mailbox(): Promise<void> {
  const text = new TextDecoder().decode(await vscode.workspace.fs.readFile(workspaceFile(PATCH_FILE)));
  const mbx = await openInEditor(await writeWorkspaceFile('v1_20261129_frob_add_a_cookie.mbx', text));
  assert.equal(mbx.languageId, 'diff', `a .mbx mailbox opened as '${mbx.languageId}', not diff`);
  const cookie = positionOf(mbx, '+\t__aligned_u64 cookie;', '+\t__aligned_u64 coo'.length);
  await expectHover(mbx.uri, cookie, [row('target', 'offset', 'size', 'align'), row('x86_64', '16', '8', '8')], 'the added member cookie in the .mbx mailbox');
}

async function injectionGrammar(): Promise<void> {
  const extension = sysargExtension();
  const grammars: Array<{ scopeName?: string; path?: string; injectTo?: string[] }> = extension.packageJSON.contributes?.grammars ?? [];
  const grammar = grammars.find((g) => g.scopeName === 'sysarg.annotation.injection');
  assert.ok(grammar, `no grammar with scopeName sysarg.annotation.injection in ${JSON.stringify(grammars)}`);
  assert.ok(grammar.injectTo?.includes('source.c'), 'the annotation grammar is not injected into source.c');
  assert.ok(grammar.path, 'the annotation grammar has no path');
  const file = vscode.Uri.joinPath(extension.extensionUri, grammar.path);
  let text: string;
  try {
    text = new TextDecoder().decode(await vscode.workspace.fs.readFile(file));
  } catch {
    throw new Error(`the grammar file ${grammar.path} does not exist in the extension`);
  }
  const parsed = JSON.parse(text) as { scopeName?: string; injectionSelector?: string };
  assert.equal(parsed.scopeName, 'sysarg.annotation.injection', `${grammar.path} declares another scopeName`);
  assert.ok(parsed.injectionSelector, `${grammar.path} has no injectionSelector`);
}

/**
 * A struct nothing in its header marks as versioned (hsmp_message's shape) becomes extensible once a .c file written
 * to disk copies it in with copy_struct_from_user(): VS Code's file watcher tells the server, which reads the file.
 */
async function copiedInByKernelCode(): Promise<void> {
  const header = await openInEditor(await writeWorkspaceFile('hsmp.h', '#include <linux/types.h>\nstruct hsmp_message {\n\t__u32 msg_id;\n\t__u16 num_args;\n\t__u16 response_sz;\n\t__u32 args[8];\n\t__u16 sock_ind;\n};\n'));
  const padding = (list: readonly vscode.Diagnostic[]) => list.filter((d) => d.source === 'sysarg' && codeOf(d) === 'implicit-padding');
  const tag = positionOf(header, 'hsmp_message', 2);
  await expectHover(header.uri, tag, [row('x86_64', '44', '4')], 'hsmp.h before any .c file copies it in');
  assert.deepEqual(padding(vscode.languages.getDiagnostics(header.uri)), [], 'not extensible yet: its tail padding is not reported');
  await writeAndPoll(
    'drivers/hsmp.c',
    '#include "../hsmp.h"\n\nlong hsmp_ioctl(void __user *arguser)\n{\n\tstruct hsmp_message msg = { 0 };\n\n\treturn copy_struct_from_user(&msg, sizeof(msg), arguser, sizeof(msg));\n}\n',
    () => vscode.languages.getDiagnostics(header.uri),
    (diagnostics) => padding(diagnostics).length === 1,
    (last) => `hsmp.h: no implicit-padding warning after drivers/hsmp.c was written; diagnostics: ${(last ?? []).map((d) => d.message).join('; ') || 'none'}`,
  );
  await expectHover(header.uri, tag, [/Extensible because kernel code copies it in with copy_struct_from_user\(\) \(drivers\/hsmp\.c:7\)/], 'hsmp.h once drivers/hsmp.c copies it in');
}

/**
 * A flags member that the .c file copying its struct in never tests for unknown bits is flags-unchecked; the test
 * typed into that file's open buffer (not saved) clears it: VS Code sends the .c buffer, the server reads it.
 */
async function flagsCheckedInKernelCode(): Promise<void> {
  const header = await openInEditor(await writeWorkspaceFile('frobctl.h', '#include <linux/types.h>\nstruct frobctl_args {\n\t__aligned_u64 flags;\n\t__aligned_u64 addr;\n};\n'));
  const copy = 'return copy_struct_from_user(&args, sizeof(args), uargs, usize);';
  const source = await openInEditor(await writeWorkspaceFile('drivers/frobctl.c', `#include "../frobctl.h"\n\nlong frobctl(void __user *uargs, size_t usize)\n{\n\tstruct frobctl_args args;\n\n\t${copy}\n}\n`));
  const unchecked = (list: readonly vscode.Diagnostic[]) => list.filter((d) => d.source === 'sysarg' && codeOf(d) === 'flags-unchecked');
  const message = (list: readonly vscode.Diagnostic[] | undefined) => (list ?? []).map((d) => `${codeOf(d)}: ${d.message}`).join('; ') || 'none';
  const found = await pollUntil(
    () => vscode.languages.getDiagnostics(header.uri),
    (diagnostics) => unchecked(diagnostics).length === 1,
    (last) => `frobctl.h: no flags-unchecked while drivers/frobctl.c copies it in untested; diagnostics: ${message(last)}`,
  );
  assert.match(unchecked(found)[0].message, /^'flags' of struct frobctl_args is never tested for unknown bits in .*drivers\/frobctl\.c/);
  const editor = await vscode.window.showTextDocument(source);
  const end = positionOf(source, copy, copy.length - 1);
  assert.ok(await editor.edit((edit) => edit.insert(end, ' ?: (args.flags & ~FROBCTL_VALID ? -EINVAL : 0)')), 'the edit was not applied');
  await pollUntil(
    () => vscode.languages.getDiagnostics(header.uri),
    (diagnostics) => unchecked(diagnostics).length === 0,
    (last) => `frobctl.h: flags-unchecked stayed after the test was typed into drivers/frobctl.c; diagnostics: ${message(last)}`,
  );
}

/**
 * A .c file that needs its build's -I and -D finds neither until the workspace has a build/compile_commands.json
 * (where clangd looks): once one is written, VS Code's file watcher tells the server, which reads the file with them.
 */
async function compileCommandsWritten(): Promise<void> {
  await writeWorkspaceFile('ccdb/inc/gen/frob_word.h', 'struct frob_word { FROB_WORD w; };\n');
  const source = await openInEditor(await writeWorkspaceFile('ccdb/src/user.c', '#include <gen/frob_word.h>\nstruct frob_user { char tag; struct frob_word f; };\n'));
  const notFound = (list: readonly vscode.Diagnostic[]) => list.filter((d) => d.source === 'sysarg' && /'gen\/frob_word\.h' file not found/.test(d.message));
  const message = (list: readonly vscode.Diagnostic[] | undefined) => (list ?? []).map((d) => `${codeOf(d)}: ${d.message}`).join('; ') || 'none';
  await pollUntil(
    () => vscode.languages.getDiagnostics(source.uri),
    (diagnostics) => notFound(diagnostics).length === 1,
    (last) => `ccdb/src/user.c: no 'file not found' before the database was written; diagnostics: ${message(last)}`,
  );
  const build = workspaceFile('build').fsPath;
  const entry = { directory: build, file: '../ccdb/src/user.c', arguments: ['cc', '-I../ccdb/inc', '-DFROB_WORD=long long', '-c', '../ccdb/src/user.c'] };
  await writeAndPoll(
    'build/compile_commands.json',
    JSON.stringify([entry]),
    () => vscode.languages.getDiagnostics(source.uri),
    (diagnostics) => notFound(diagnostics).length === 0,
    (last) => `ccdb/src/user.c: the include was still not found after build/compile_commands.json was written; diagnostics: ${message(last)}`,
  );
  await expectHover(source.uri, positionOf(source, 'frob_user', 2), [row('x86_64', '16', '8'), row('i386', '12', '4')], "user.c read with the database's -D (a long long word)");
}

export const CASES: EditorCase[] = [
  { name: 'activates on a .patch file and a C header; client running; commands registered', run: activationAndCommands },
  { name: 'hover on struct clone_args shows size 88 on x86_64', run: hoverOnCloneArgs },
  { name: 'hover on member b of struct s shows offset 8 on x86_64 and 4 on i386', run: hoverOnMemberB },
  { name: 'document symbols list the structs; a code lens says 88 bytes over clone_args', run: symbolsAndCodeLens },
  { name: 'a half-typed struct gets a sysarg diagnostic and the next struct still a hover', run: halfTypedStruct },
  { name: 'Sysarg: Show Struct Layout shows the layout pahole-style, an anonymous union nested', run: showStructLayout },
  { name: 'the sysarg.annotation.injection grammar is contributed', run: injectionGrammar },
  { name: 'a patch mail: the member it adds hovered (offset 16), the struct lensed (40 bytes) in the mail', run: patchMail },
  { name: 'a b4 mailbox (.mbx) opens as diff and the member it adds is hovered', run: b4Mailbox },
  { name: 'the mail inserting cookie before the published mode is a non-tail-insertion error at its + line', run: nonTailInsertion },
  { name: 'a hole in an extensible struct: the quick fix fills it with an explicit member and the warning goes', run: quickFix },
  { name: 'a patch mail adding a struct with a hole: the quick fix writes the explicit member into the mail as an added line', run: patchMailQuickFix },
  { name: 'a .c file written to disk copies a struct in with copy_struct_from_user(): it becomes extensible, its padding reported', run: copiedInByKernelCode },
  { name: 'a flags member the copying .c file never tests is flags-unchecked; the test typed into its open buffer clears it', run: flagsCheckedInKernelCode },
  { name: 'a build/compile_commands.json written to the workspace: a .c file is read with its -I and -D', run: compileCommandsWritten },
];
