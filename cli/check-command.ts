// `sysarg check`: the rules over headers, .c files and patches, against what was published, as text, JSON or SARIF.
import { resolve } from 'node:path';
import { isKernelInternal } from '../core/c/kernel-tree';
import { checkReport, checkSarif, formatCheckText, type CheckFile, type WrittenFile } from '../core/check-report';
import { optionValue, optionValues, parseCommand, type OptionSpec } from './args';
import { Baselines, parseBaseline, type BaselineSpec } from './baselines';
import { UsageError } from './errors';
import { FRONT_END_OPTIONS } from './front-end-options';
import { sourcesFrom, type CommandInputs } from './inputs';
import type { CliIo } from './io';
import { cliFileHost } from './node-host';

const VERSION = '0.1.0';

const HELP = `usage: sysarg check [--baseline SPEC]... [--new-only] [--target T]... [-I DIR]... [-D NAME[=VALUE]]... [--tree DIR]
                    [--compile-commands FILE|DIR] [--format text|json|sarif] PATH...

Checks the extensible syscall argument structs and flag words of each PATH (C files, directories: every C file below
them, patches: applied in memory to the tree at --tree DIR, default .), on each target (default x86_64 and i386):
  - against the published version (--baseline): a member inserted before the published end, and any change to the
    published prefix (removed, reordered, retyped, renamed members);
  - on their own: implicit padding, arch-dependent types, layouts that differ between targets, *_SIZE_VER<n> values
    that do not fit, flexible arrays before other members;
  - flag words: duplicate bits, a flag in a reserved mask (CSIGNAL) or past its word, a word with one free bit or none.
A struct counts as an extensible syscall argument by its sysarg: annotation, a *_SIZE_VER<n> family, its comment, a
leading size member, a DRM ioctl passing it (DRM_IOWR), or a .c file of the run copying it in with
copy_struct_from_user(). A Linux tree's internal
files (kernel/fork.c) are read as written, not preprocessed: they need the kernel build's configuration.
--compile-commands reads each file with the -I, -D, -U, -imacros and -include its compile command gives, as sysarg
layout --help says.
Rule ids and what they mean: docs/rules.md. Exit code 1 when a finding is an error, 2 for bad arguments or input.

--baseline (repeatable; a patch's preimage is always one):
  git:REF     the same path at REF (default git:HEAD for files in a git work tree)
  lock:FILE   an ABI lock file written by sysarg snapshot
  FILE, DIR   an older header, or a tree of them (structs matched by tag)
  none        no baseline (only a patch's preimage)

--new-only  report only the findings a file's earlier version did not have: a patch's preimage, else the file as
            the first --baseline has it (at git:REF, the default git:HEAD; or its older copy in a FILE, or at the same
            path below a DIR as below the input directory). Findings are matched by rule, message (numbers aside) and
            the text of their line, so lines moving do not make one new. A file with no earlier version is reported
            whole; the summary counts what was left out, and the exit code follows the new errors only.

--format text    file:line:column: severity: message [rule], then a summary line (default)
         json    CONTRACTS.md's diagnostics JSON
         sarif   SARIF 2.1.0
`;

const OPTIONS: OptionSpec[] = [...FRONT_END_OPTIONS, { name: 'baseline', value: true, repeat: true }, { name: 'format', value: true }, { name: 'tree', value: true }, { name: 'new-only' }];

/**
 * A Linux tree's internal files named directly (`kernel/fork.c`) are read as written, as a patch's are: they need the
 * kernel build's configuration to be preprocessed, and what the rules want of them (strict size checks, the structs
 * copy_struct_from_user() copies in) is in their text.
 */
function kernelInternalApart(inputs: CommandInputs, host: ReturnType<typeof cliFileHost>, earlier: (path: string) => WrittenFile['earlier']): { laidOut: string[]; written: WrittenFile[] } {
  const laidOut: string[] = [];
  const written: WrittenFile[] = [];
  const isDirectory = (path: string) => host.isDirectory?.(path) === true;
  for (const path of inputs.paths) {
    if (!inputs.shown.has(path) && isKernelInternal(resolve(path), isDirectory)) written.push({ path, text: () => host.readFile(path), earlier: earlier(path) });
    else laidOut.push(path);
  }
  return { laidOut, written };
}

export function checkCommand(argv: string[], io: CliIo): number {
  const args = parseCommand(argv, { options: OPTIONS, help: HELP, positionals: true }, io);
  if (!args) return 0;
  const format = optionValue(args, 'format') ?? 'text';
  if (format !== 'text' && format !== 'json' && format !== 'sarif') throw new UsageError(`--format must be text, json or sarif, not '${format}'`);
  const host = cliFileHost();
  const given = optionValues(args, 'baseline').map((spec) => parseBaseline(spec, host));
  const specs: BaselineSpec[] = given.length > 0 ? given : [{ kind: 'git', ref: 'HEAD', implied: true }];
  const { options, targets, inputs } = sourcesFrom(args, ['x86_64', 'i386']);
  const baselines = new Baselines(specs, host, targets, options, args.positionals);
  const newOnly = args.flags.has('new-only');
  // A file read as written has no baseline, only (with --new-only) its earlier text, read when it is checked.
  const earlier = (path: string, preimage?: string) => (newOnly ? () => baselines.earlierText(path, preimage) : undefined);
  const { laidOut, written } = kernelInternalApart(inputs, host, earlier);
  const files: CheckFile[] = laidOut.map((path) => ({
    path,
    published: (current) => baselines.publishedFor(path, inputs.preimages.get(path), current, newOnly, inputs.fragments.has(path)),
    shown: inputs.shown.get(path),
    fragment: inputs.fragments.has(path),
  }));
  const internal = inputs.internal.map((file) => ({ ...file, earlier: earlier(file.path, file.preimage) }));
  const result = checkReport(inputs.cache, files, targets, options, inputs.errors, [...internal, ...written], undefined, newOnly);
  if (format === 'json') io.out(`${JSON.stringify(result)}\n`);
  else if (format === 'sarif') io.out(`${JSON.stringify(checkSarif(result, VERSION), null, 2)}\n`);
  else io.out(formatCheckText(result));
  return result.summary.errors > 0 ? 1 : 0;
}
