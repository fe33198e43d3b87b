// What a baseline says userspace already has: each record's published layout per target, from a source file or from
// an ABI lock file written by `sysarg snapshot`.
import { LayoutError } from './abi/layout';
import { isTargetName } from './abi/targets';
import type { AnalyzedRecord, DocumentAnalysis } from './document-analysis';
import type { TargetName } from './protocol';

export interface PublishedMember {
  /** Null for an anonymous struct or union. */
  name: string | null;
  /** The type as written (`__aligned_u64`, `__u32[4]`, `union (anonymous)`). */
  type: string;
  offset: number;
  size: number;
  bitOffset?: number;
  bitWidth?: number;
}

export interface PublishedLayout {
  size: number;
  members: PublishedMember[];
}

export interface PublishedRecord {
  /** Its kind and tag (or first typedef name): what matches it with the record now. */
  key: string;
  name: string;
  extensible: boolean;
  layouts: Partial<Record<TargetName, PublishedLayout>>;
}

/** What a baseline says was published: its records, and, where it was read from C, the macros its file defined. */
export interface Baseline {
  records: readonly PublishedRecord[];
  /** The names the published file `#define`d; undefined for a lock file, which keeps records only. */
  macros?: ReadonlySet<string>;
  /**
   * Whether the baseline says what was published of the file (its earlier text, a lock, an older tree; a file git or
   * the patch adds has nothing published), so that a record absent from it is new. False or absent for `none`.
   */
  complete?: boolean;
}

/**
 * What a file new since the baseline published (a file git does not have at the ref, one a patch creates): nothing, so
 * each of its structs is new. No macros: a new file's flag families are not judged as added, flag by flag.
 */
export const NOTHING_PUBLISHED: Baseline = { records: [], complete: true };

/**
 * What a patch's preimage published: nothing for a file the patch creates (an empty preimage), else what `analyse`
 * makes of the preimage's text.
 */
export function preimageBaseline(preimage: string, analyse: (text: string) => DocumentAnalysis): Baseline {
  return preimage === '' ? NOTHING_PUBLISHED : baselineOf(analyse(preimage));
}

const baselines = new WeakMap<DocumentAnalysis, Baseline>();

/** The published version an analysed file stands for (the same object for the same analysis). */
export function baselineOf(analysis: DocumentAnalysis): Baseline {
  let baseline = baselines.get(analysis);
  if (!baseline) {
    baseline = { records: publishedRecords(analysis.records), macros: new Set(definedNames(analysis)), complete: true };
    baselines.set(analysis, baseline);
  }
  return baseline;
}

/** The names the analysed file itself `#define`s (on its first target): what tells a flag it adds from its old ones. */
export function definedNames(analysis: DocumentAnalysis): string[] {
  const unit = analysis.units.get(analysis.targets[0]);
  return [...new Set((unit?.pp.definitions ?? []).filter((m) => m.file === analysis.root.file).map((m) => m.name))];
}

/** An ABI lock file: the published records of a set of headers, to check later versions against. */
export interface AbiLock {
  version: 1;
  kind: 'sysarg-abi-lock';
  targets: TargetName[];
  records: PublishedRecord[];
  /** Added: the names each file `#define`d, by path, so that a flag added later is told from the published ones. */
  macros?: Record<string, string[]>;
}

/** What names a record across versions: its kind and tag, or for an untagged one its first typedef name. */
export function recordKey(record: AnalyzedRecord): string {
  return `${record.decl.kind} ${record.decl.tag ?? record.decl.typedefNames[0] ?? ''}`;
}

const converted = new WeakMap<readonly AnalyzedRecord[], PublishedRecord[]>();

/** The records as published versions (the same array for the same records: the rules keep their answers by it). */
export function publishedRecords(records: readonly AnalyzedRecord[]): PublishedRecord[] {
  let out = converted.get(records);
  if (!out) {
    out = records.map(publishedRecord);
    converted.set(records, out);
  }
  return out;
}

function publishedRecord(record: AnalyzedRecord): PublishedRecord {
  const layouts: PublishedRecord['layouts'] = {};
  for (const [target, layout] of record.layouts) {
    if (layout instanceof LayoutError) continue;
    layouts[target] = {
      size: layout.size,
      members: layout.members.map((m) => {
        const member: PublishedMember = { name: m.member.name, type: m.member.typeText, offset: m.offset, size: m.size };
        if (m.bitWidth !== undefined) {
          member.bitOffset = m.bitOffset;
          member.bitWidth = m.bitWidth;
        }
        return member;
      }),
    };
  }
  return { key: recordKey(record), name: record.name, extensible: record.extensible.extensible, layouts };
}

/** A lock file's text read back as a baseline; throws an Error saying what is wrong with it. */
export function readLock(text: string): Baseline {
  const lock = parseLock(text);
  const records = lock.records.map(validRecord);
  if (lock.macros === undefined) return { records, complete: true };
  if (typeof lock.macros !== 'object' || lock.macros === null || !Object.values(lock.macros).every((names) => Array.isArray(names) && names.every((n) => typeof n === 'string'))) {
    throw new Error('macros: needs the names each file defined, by path');
  }
  return { records, macros: new Set(Object.values(lock.macros).flat()), complete: true };
}

function parseLock(text: string): AbiLock {
  let lock: Partial<AbiLock>;
  try {
    lock = JSON.parse(text) as Partial<AbiLock>;
  } catch (error) {
    throw new Error(`not JSON (${(error as Error).message})`);
  }
  if (!lock || lock.kind !== 'sysarg-abi-lock' || lock.version !== 1 || !Array.isArray(lock.records)) throw new Error('not a sysarg ABI lock (sysarg snapshot writes them)');
  return lock as AbiLock;
}

function validRecord(r: PublishedRecord, i: number): PublishedRecord {
    const where = `record ${i + 1}`;
    if (!r || typeof r.key !== 'string' || typeof r.name !== 'string' || typeof r.extensible !== 'boolean' || !r.layouts || typeof r.layouts !== 'object') throw new Error(`${where}: needs key, name, extensible and layouts`);
    for (const [target, layout] of Object.entries(r.layouts)) {
      if (!isTargetName(target)) throw new Error(`${where}: unknown target '${target}'`);
      const ok = layout && typeof layout.size === 'number' && Array.isArray(layout.members) && layout.members.every(validMember);
      if (!ok) throw new Error(`${where} (${r.key}) on ${target}: a layout needs size and members (name, type, offset, size)`);
    }
    return r;
}

function validMember(m: PublishedMember): boolean {
  const count = (n: unknown) => typeof n === 'number' && Number.isInteger(n) && n >= 0;
  return (
    !!m && (m.name === null || typeof m.name === 'string') && typeof m.type === 'string' && count(m.offset) && count(m.size) && (m.bitWidth === undefined || (count(m.bitWidth) && count(m.bitOffset)))
  );
}

/** The lock file for `records` laid out on `targets`, with the names each file defined (`macros`, by path). */
export function abiLock(records: readonly AnalyzedRecord[], targets: TargetName[], macros: Record<string, string[]> = {}): AbiLock {
  return { version: 1, kind: 'sysarg-abi-lock', targets, records: publishedRecords(records), macros };
}

/**
 * The lock as text with one member a line, so that a change to the ABI is a readable diff (`git diff abi.lock`): the
 * JSON is the same as JSON.stringify would give.
 */
export function formatLock(lock: AbiLock): string {
  const j = (v: unknown) => JSON.stringify(v);
  const records = lock.records.map((r) => {
    const layouts = Object.entries(r.layouts).map(([target, layout]) => {
      const members = (layout as PublishedLayout).members.map((m) => `     ${j(m)}`).join(',\n');
      return `   ${j(target)}: {"size": ${(layout as PublishedLayout).size}, "members": [\n${members}\n   ]}`;
    });
    return `  {"key": ${j(r.key)}, "name": ${j(r.name)}, "extensible": ${r.extensible}, "layouts": {\n${layouts.join(',\n')}\n  }}`;
  });
  // One file's names a line: a flag added shows as that file's line changed.
  const macros = Object.entries(lock.macros ?? {}).map(([path, names]) => `  ${j(path)}: ${j(names)}`);
  return `{"version": 1, "kind": "sysarg-abi-lock", "targets": ${j(lock.targets)}, "records": [\n${records.join(',\n')}\n], "macros": {\n${macros.join(',\n')}\n}}\n`;
}
