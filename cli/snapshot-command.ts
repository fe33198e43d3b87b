// `sysarg snapshot`: an ABI lock file of the named files' records, for `sysarg check --baseline lock:FILE` later.
import { analyzeDocument, type AnalyzedRecord } from '../core/document-analysis';
import { unreadable } from '../core/c/source-cache';
import { abiLock, definedNames, formatLock, recordKey } from '../core/published-records';
import { optionValue, parseCommand, type OptionSpec } from './args';
import { UsageError } from './errors';
import { FRONT_END_OPTIONS } from './front-end-options';
import { sourcesFrom } from './inputs';
import { writeOutput, type CliIo } from './io';

const HELP = `usage: sysarg snapshot [--target T]... [-I DIR]... [-D NAME[=VALUE]]... [--tree DIR] [-o FILE] PATH...

Writes an ABI lock file: every struct and union the PATHs define (C files, directories, patches as sysarg layout reads
them), laid out on each target (default x86_64 and i386), as JSON. Commit it beside the headers; later,
sysarg check --baseline lock:FILE compares the structs with what the lock says was published (a struct defined in two
files: the first is kept), and tells the flags added since from those the lock's files defined.

  -o FILE    write the lock to FILE instead of stdout
`;

const OPTIONS: OptionSpec[] = [...FRONT_END_OPTIONS, { name: 'tree', value: true }, { name: 'output', short: 'o', value: true }];

export function snapshotCommand(argv: string[], io: CliIo): number {
  const args = parseCommand(argv, { options: OPTIONS, help: HELP, positionals: true }, io);
  if (!args) return 0;
  const { options, targets, inputs } = sourcesFrom(args, ['x86_64', 'i386']);
  const records: AnalyzedRecord[] = [];
  const macros: Record<string, string[]> = {};
  const seen = new Set<string>();
  for (const path of inputs.paths) {
    const root = inputs.cache.get(path);
    if (!root) throw new UsageError(`${path}: cannot read`);
    // A lock that silently left a file out would let its structs change unchecked.
    const why = unreadable(root);
    if (why !== undefined) throw new UsageError(`${path}: ${why}`);
    const analysis = analyzeDocument(inputs.cache, root, targets, options);
    macros[path] = definedNames(analysis);
    for (const record of analysis.records) {
      if (seen.has(recordKey(record))) continue;
      seen.add(recordKey(record));
      records.push(record);
    }
    inputs.cache.doneWith(path);
  }
  const text = formatLock(abiLock(records, targets, macros));
  writeOutput(io, optionValue(args, 'output'), text);
  return 0;
}
