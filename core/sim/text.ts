// Plain-text renderings of a simulation and of a compatibility matrix (what `sysarg simulate` / `sysarg matrix` print without --json).
import type { MatrixResult, ProcessOutcome, SimulateOutput } from './types';

export function formatSimulation(out: SimulateOutput): string {
  const lines: string[] = [];
  lines.push(`kernel ${out.kernel}, ${out.syscall}: ${out.outcome === 'success' ? 'success' : `error ${out.errno}`}`);
  if (out.decidedBy) lines.push(`decided by: ${out.decidedBy.function}() in ${out.decidedBy.file}: ${out.decidedBy.check}`);
  lines.push('steps:');
  for (const step of out.steps) lines.push(`  ${step.result.padEnd(4)}  ${step.function}(): ${step.check}${step.errno ? ` -> ${step.errno}` : ''}`);
  if (out.struct) {
    const s = out.struct;
    const filled = s.zeroFilled.length > 0 ? `; zero-filled: ${s.zeroFilled.join(', ')}` : '';
    lines.push(`struct ${s.name}: userspace passed ${s.userSize} bytes, the kernel's struct has ${s.kernelSize}${s.tailBytes > 0 ? ` (${s.tailBytes} tail bytes checked)` : ''}${filled}`);
  }
  const who = out.child ? 'child' : out.caller ? 'caller' : null;
  const proc = out.child ?? out.caller;
  if (who && proc) lines.push(...formatProcess(who, proc));
  if (out.warnings && out.warnings.length > 0) {
    lines.push('warnings:');
    for (const w of out.warnings) lines.push(`  - ${w}`);
  }
  return `${lines.join('\n')}\n`;
}

function formatProcess(who: string, p: ProcessOutcome): string[] {
  const ns = Object.entries(p.namespaces);
  const fresh = ns.filter(([, v]) => v === 'new').map(([k]) => k);
  const shared = ns.filter(([, v]) => v === 'shared').map(([k]) => k);
  const shares = Object.entries(p.shares);
  const lines = [
    `${who}:`,
    `  namespaces: new: ${fresh.join(' ') || '-'}; shared: ${shared.join(' ') || '-'}`,
    `  shares: ${shares.filter(([, v]) => v).map(([k]) => k).join(' ') || '-'}; own copy: ${shares.filter(([, v]) => !v).map(([k]) => k).join(' ') || '-'}`,
  ];
  if (who === 'child') {
    lines.push(`  ${p.thread ? 'thread' : 'process'}, parent: ${String(p.parent)}, exit signal: ${p.exitSignal === null ? 'none of its own' : p.exitSignal}`);
    const wb = p.writeBack as Record<string, unknown> | undefined;
    if (wb) {
      const written = Object.entries(wb).filter(([, v]) => v !== false && v !== null).map(([k, v]) => (v === true ? k : `${k} (via ${String(v)})`));
      lines.push(`  written back: ${written.join(', ') || '-'}`);
    }
  } else {
    const forChildren = Object.keys((p.forChildren as Record<string, string>) ?? {});
    if (forChildren.length > 0) lines.push(`  new for its children only: ${forChildren.join(' ')}`);
  }
  return lines;
}

export function formatMatrix(result: MatrixResult): string {
  const out: string[] = [];
  const structs = [...new Set(result.rows.map((r) => r.struct))];
  const notes = new Map<string, string>();
  for (const struct of structs) {
    const rows = result.rows.filter((r) => r.struct === struct);
    const header = [`struct ${struct} (${rows[0].syscall})`, ...result.kernels];
    const table = rows.map((row) => [
      row.label,
      ...row.cells.map((c) => {
        const text = c.outcome === 'success' ? 'ok' : (c.errno ?? 'error');
        if (c.decidedBy) notes.set(`${c.errno} ${c.decidedBy.function}(): ${c.decidedBy.check}`, '');
        return c.warnings.length > 0 ? `${text}*` : text;
      }),
    ]);
    const widths = header.map((h, i) => Math.max(h.length, ...table.map((r) => r[i].length)));
    const line = (cells: string[]) => cells.map((c, i) => c.padEnd(widths[i])).join('  ').trimEnd();
    out.push(line(header), ...table.map(line), '');
  }
  out.push('ok = success; * = succeeds with a warning (e.g. a flag the kernel ignores); errors were decided by:');
  for (const key of notes.keys()) out.push(`  ${key}`);
  return `${out.join('\n')}\n`;
}
