// Opt-in inlay hints: offset and size after each member (per target where they differ), and hole markers.
import { InlayHintKind, type InlayHint, type Position, type Range } from 'vscode-languageserver';
import { LayoutError, type RecordLayout } from '../core/abi/layout';
import { beforeField, holesAfter, holesByAnchor, type ShownHole } from '../core/hole-anchors';
import type { DocumentAnalysis } from '../core/document-analysis';
import type { TargetName } from '../core/protocol';

export function inlayHints(analysis: DocumentAnalysis, range: Range): InlayHint[] {
  const hints: InlayHint[] = [];
  const file = analysis.root.file;
  const first = file.offsetAt(range.start);
  const last = file.offsetAt(range.end);
  for (const record of analysis.records) {
    if (record.decl.span.end < first || record.decl.span.start > last) continue;
    const layouts = analysis.targets
      .map((t) => [t, record.layouts.get(t)] as const)
      .filter((e): e is readonly [TargetName, RecordLayout] => e[1] !== undefined && !(e[1] instanceof LayoutError));
    if (layouts.length === 0) continue;
    const [, base] = layouts[0];
    const targets = layouts.map(([t]) => t);
    const depths = base.fields.map((f) => f.depth);
    const holes = layouts.map(([, l]) => holesByAnchor(l, depths));
    const name = record.decl.nameSpan;
    // A record of unnamed bit-fields only (bpf_timer) has no member to show its padding at: after its name, then.
    if (base.fields.length === 0 && name?.file === file) for (const hole of holesAfter(targets, holes, beforeField(0))) hints.push(holeHint(hole, file.positionAt(name.end)));
    base.fields.forEach((field, i) => {
      if (!field.member.span || field.member.span.file !== file) return;
      // A stretch no named member precedes (unnamed bit-fields only): shown where the member after it starts.
      const start = file.positionAt(field.member.span.start);
      for (const hole of holesAfter(targets, holes, beforeField(i))) hints.push({ ...holeHint(hole, start), paddingLeft: false, paddingRight: true });
      const position = file.positionAt(field.member.span.end);
      // An anonymous struct or union member gets no place of its own (its members have theirs), but a hole after it.
      if (field.path !== null) {
        const labels = layouts.map(([t, l]) => [t, describe(l.fields[i])] as const);
        const same = labels.every(([, text]) => text === labels[0][1]);
        const label = same ? labels[0][1] : labels.map(([t, text]) => `${t} ${text}`).join(' · ');
        hints.push({ position, label: ` ${label}`, kind: InlayHintKind.Type, paddingLeft: true });
      }
      for (const hole of holesAfter(targets, holes, i)) hints.push(holeHint(hole, position));
    });
  }
  return hints;
}

function holeHint(hole: ShownHole, position: Position): InlayHint {
  const label = `⟨${hole.size}-byte ${hole.kind === 'explicit' ? 'explicit padding' : hole.kind}${hole.every ? '' : ` on ${hole.targets.join(', ')}`}⟩`;
  return { position, label: ` ${label}`, kind: InlayHintKind.Type, paddingLeft: true };
}

function describe(f: RecordLayout['fields'][number] | undefined): string {
  if (!f) return '—';
  if (f.bitWidth !== undefined) return `@${Math.floor((f.bitOffset as number) / 8)}.${(f.bitOffset as number) % 8} ${f.bitWidth}b`;
  return `@${f.offset} ${f.size}B`;
}
