// The structs that the .c files among a command's inputs copy in with copy_struct_from_user(): evidence for `sysarg layout`.
import { C_SOURCE_NAME } from '../core/file-kinds';
import { copiedStructsOf, structCopies, type CopiedStructs } from '../core/struct-copies';
import type { CommandInputs } from './inputs';

/** By tag, the first call found (in the order the inputs were given); the texts are read, not lexed. */
export function copiedStructsIn(inputs: CommandInputs): CopiedStructs {
  const laidOut = inputs.paths.filter((path) => C_SOURCE_NAME.test(path)).map((path) => structCopies(path, inputs.cache.text(path) ?? ''));
  const internal = inputs.internal.filter((file) => C_SOURCE_NAME.test(file.path)).map((file) => structCopies(file.path, file.text));
  return copiedStructsOf([...laidOut, ...internal]);
}
