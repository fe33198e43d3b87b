// `sysarg layout` (being built).
import type { CliIo } from './io';
import { UsageError } from './errors';

export function layoutCommand(_argv: string[], _io: CliIo): number {
  throw new UsageError('not implemented yet');
}
