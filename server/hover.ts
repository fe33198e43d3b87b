// Hover on a struct/union (size and alignment per target) or on a member (offset, size, alignment per target).
import type { Hover, MarkupContent } from 'vscode-languageserver';
import { LayoutError } from '../core/abi/layout';
import { memberAt, recordAt, type AnalyzedRecord, type DocumentAnalysis, type MemberHit } from '../core/document-analysis';
import { declarationText } from '../core/layout-text';
import type { TargetName } from '../core/protocol';

export function hoverAt(analysis: DocumentAnalysis, offset: number): Hover | null {
  const member = memberAt(analysis, offset);
  if (member) return markdown(memberHover(analysis.targets, member));
  const record = recordAt(analysis, offset);
  if (record) return markdown(recordHover(analysis.targets, record));
  return null;
}

function markdown(value: string): Hover {
  const contents: MarkupContent = { kind: 'markdown', value };
  return { contents };
}

function extensibleNote(record: AnalyzedRecord): string {
  const info = record.extensible;
  if (info.appendOnly) return ' — append-only';
  if (!info.extensible) return info.annotation?.kind === 'fixed' ? ' — fixed layout (annotated)' : '';
  const versions = info.sizeVersions.map((v) => `${v.name} = ${v.value}`).join(', ');
  return ` — extensible syscall argument${versions ? ` (${versions})` : ''}`;
}

export function recordHover(targets: TargetName[], record: AnalyzedRecord): string {
  const lines = [`**${record.decl.kind} ${record.name}**${extensibleNote(record)}`, '', '| target | size | align |', '|---|---|---|'];
  const problems: string[] = [];
  for (const t of targets) {
    const layout = record.layouts.get(t);
    if (!layout) lines.push(`| ${t} | — | — |`);
    else if (layout instanceof LayoutError) {
      lines.push(`| ${t} | ? | ? |`);
      problems.push(`${t}: ${layout.message}`);
    } else {
      lines.push(`| ${t} | ${layout.size} | ${layout.align} |`);
    }
  }
  const sizes = new Set(targets.map((t) => record.layouts.get(t)).filter((l) => l && !(l instanceof LayoutError)).map((l) => (l as { size: number }).size));
  lines.push('', sizes.size > 1 ? 'The size differs between targets: 32-bit userspace needs a compat path.' : 'Same size on every target shown.');
  if (record.extensible.extensible) lines.push('', `Extensible because ${record.extensible.reasons.join('; ')}.`);
  if (record.extensible.appendOnly) lines.push('', `Append-only because ${record.extensible.appendOnly}: inserting or changing a published member breaks the programs built against it.`);
  for (const t of targets) {
    const layout = record.layouts.get(t);
    if (!layout || layout instanceof LayoutError) continue;
    const at = (gaps: { size: number; offset: number }[]) => gaps.map((h) => `${h.size} bytes at ${h.offset}`).join(', ');
    const parts = [
      layout.holes.length ? `holes: ${at(layout.holes)}` : '',
      layout.tailPadding ? `${layout.tailPadding} bytes of tail padding` : '',
      layout.explicitPadding.length ? `explicit padding (unnamed bit-fields): ${at(layout.explicitPadding)}` : '',
    ].filter((part) => part !== '');
    if (parts.length > 0) lines.push(`${t}: ${parts.join('; ')}.`);
  }
  if (problems.length) lines.push('', ...problems.map((p) => `⚠ ${p}`));
  return lines.join('\n');
}

function offsetText(f: { offset: number; bitOffset?: number; bitWidth?: number }): string {
  if (f.bitWidth === undefined) return String(f.offset);
  const bit = f.bitOffset as number;
  return `${Math.floor(bit / 8)} (bit ${bit % 8})`;
}

export function memberHover(targets: TargetName[], hit: MemberHit): string {
  const m = hit.member;
  const width = m.bitWidth ? ' : bit-field' : '';
  const lines = [`**${declarationText(m.typeText, hit.path)}**${width} — in ${hit.record.decl.kind} ${hit.record.name}`, '', '| target | offset | size | align |', '|---|---|---|---|'];
  for (const t of targets) {
    const f = hit.fields.get(t);
    if (!f) lines.push(`| ${t} | — | — | — |`);
    else lines.push(`| ${t} | ${offsetText(f)} | ${f.bitWidth !== undefined ? `${f.bitWidth} bits` : f.size} | ${f.align} |`);
  }
  const diffs: string[] = [];
  const present = targets.filter((t) => hit.fields.get(t));
  for (const key of ['offset', 'size', 'align'] as const) {
    const values = present.map((t) => hit.fields.get(t)?.[key]);
    if (new Set(values).size > 1) diffs.push(`${key} ${present.map((t, i) => `${values[i]} on ${t}`).join(', ')}`);
  }
  lines.push('', diffs.length ? `Differs between targets: ${diffs.join('; ')}.` : 'Same on every target shown.');
  return lines.join('\n');
}
