// `sysarg export-c` (being built).
import type { CliIo } from './io';
import { UsageError } from './errors';

export function exportCCommand(_argv: string[], _io: CliIo): number {
  throw new UsageError('not implemented yet');
}
