// pahole-style text rendering of layout results (being built).
import type { LayoutResult } from './protocol';

export function formatLayoutText(result: LayoutResult): string {
  return result.records.map((r) => `${r.kind} ${r.name}`).join('\n') + '\n';
}
