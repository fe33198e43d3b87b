// `sysarg matrix` (being built).
import type { CliIo } from './io';
import { UsageError } from './errors';

export function matrixCommand(_argv: string[], _io: CliIo): number {
  throw new UsageError('not implemented yet');
}
