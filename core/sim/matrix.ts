// The compatibility matrix: userspace struct versions (rows) x kernel models (columns), one simulated call per cell.
import type { MatrixCell, MatrixParams, MatrixResult, MatrixRow, NormalizedCall, SimulateOptions } from './types';
import { CLONE_ARGS_VERSIONS, PATCH_SUFFIX, resolveKernel, UnknownKernelError } from './kernels';
import { DEFAULT_CONTEXT, SimInputError } from './input';
import { simulateCall } from './simulate';

/** The default columns: the RFC era, clone3's three struct versions, 6.1, and the newest modelled release. */
export const DEFAULT_MATRIX_KERNELS = ['2.6.24', '2.6.24+longarg-rfc', '5.3', '5.5', '5.7', '6.1', '6.18'];

const SIGCHLD = 17n;
const LONGARG = 0x80000000n;
/** A newer userspace struct is this much bigger than the biggest one known (one more __aligned_u64). */
const NEWER_BY = 8;

type StructName = 'clone_args' | 'long_clone_arg';

const CONTEXT: NormalizedCall['context'] = DEFAULT_CONTEXT;

export function buildMatrix(params: MatrixParams = {}, options: SimulateOptions = {}): MatrixResult {
  const structs: StructName[] = params.struct
    ? [params.struct]
    : params.syscall
      ? [params.syscall === 'clone3' ? 'clone_args' : 'long_clone_arg']
      : ['clone_args', 'long_clone_arg'];
  const kernels = resolveColumns(params.kernels ?? defaultKernels(options), options);
  const rows: MatrixRow[] = [];
  for (const struct of structs) {
    for (const version of rowVersions(struct, options)) {
      const syscall = struct === 'clone_args' ? 'clone3' : 'clone';
      const row: MatrixRow = { struct, syscall, label: version.label, size: version.size, tail: version.tail, cells: [] };
      for (const kernel of kernels) row.cells.push(cell(kernel, struct, version.size, version.tail, options));
      rows.push(row);
    }
  }
  return { version: 1, kernels, rows };
}

function defaultKernels(options: SimulateOptions): string[] {
  const author = options.author;
  if (!author) return DEFAULT_MATRIX_KERNELS;
  const base = author.structName === 'long_clone_arg' ? '2.6.24+longarg-rfc' : author.base;
  return [...DEFAULT_MATRIX_KERNELS, `${base}${PATCH_SUFFIX}`];
}

function resolveColumns(names: readonly string[], options: SimulateOptions): string[] {
  if (names.length === 0) throw new SimInputError('the matrix needs at least one kernel');
  const resolved: string[] = [];
  for (const name of names) {
    try {
      const model = resolveKernel(name, options.hostRelease, options.author);
      if (!resolved.includes(model.name)) resolved.push(model.name);
    } catch (error) {
      if (error instanceof UnknownKernelError) throw new SimInputError(error.message);
      throw error;
    }
  }
  return resolved;
}

interface RowVersion {
  label: string;
  size: number;
  tail: 'zero' | 'nonzero';
}

/** Each published size (the author's new ones included), then a newer struct with a zero and a non-zero tail. */
function rowVersions(struct: StructName, options: SimulateOptions): RowVersion[] {
  const author = options.author?.structName === struct ? options.author : undefined;
  const known = new Map<number, string>();
  const base = struct === 'clone_args' ? CLONE_ARGS_VERSIONS : [{ name: 'sizeof(struct long_clone_arg), RFC', value: 4 }];
  for (const v of base) known.set(v.value, v.name);
  for (const v of author?.sizeVersions ?? []) if (!known.has(v.value)) known.set(v.value, v.name);
  if (author && !known.has(author.size)) known.set(author.size, `sizeof(struct ${struct}), patched`);
  const sizes = [...known.keys()].sort((a, b) => a - b);
  const newer = sizes[sizes.length - 1] + NEWER_BY;
  return [
    ...sizes.map((size) => ({ label: `${known.get(size)} (${size})`, size, tail: 'zero' as const })),
    { label: `newer, zero tail (${newer})`, size: newer, tail: 'zero' },
    { label: `newer, non-zero tail (${newer})`, size: newer, tail: 'nonzero' },
  ];
}

function cell(kernel: string, struct: StructName, size: number, tail: 'zero' | 'nonzero', options: SimulateOptions): MatrixCell {
  const call: NormalizedCall =
    struct === 'clone_args'
      ? { kernel, syscall: 'clone3', flags: 0n, size, tail, fields: { exit_signal: SIGCHLD }, context: CONTEXT }
      : { kernel, syscall: 'clone', flags: LONGARG | SIGCHLD, size, tail, fields: { child_tid: 'ptr' }, context: CONTEXT };
  const out = simulateCall(call, options);
  return { kernel: out.kernel, outcome: out.outcome, errno: out.errno, decidedBy: out.decidedBy, warnings: out.warnings ?? [] };
}
