// Kernel release numbers as comparable codes, the list of release series the models cover, and host-release parsing.

/** A half-open range of kernel versions: since <= v < until. */
export interface VersionRange {
  since: number;
  until?: number;
}

/** "2.6.24" → 2006024, "6.1" → 6001000 (the third number only counts in the 2.6 series). */
export function versionCode(text: string): number {
  const parts = text.split('.').map((p) => Number(p));
  const [major, minor, sub] = parts;
  if (major === 2) return 2_000_000 + minor * 1000 + (sub ?? 0);
  return major * 1_000_000 + minor * 1000;
}

/** The series name of a version code: 2006024 → "2.6.24", 6001000 → "6.1". */
export function versionName(code: number): string {
  const major = Math.floor(code / 1_000_000);
  const minor = Math.floor((code % 1_000_000) / 1000);
  return major === 2 ? `2.${minor}.${code % 1000}` : `${major}.${minor}`;
}

/** The last minor release of each major series (x.0 .. x.last); 2.6 runs 2.6.24 .. 2.6.39 here. */
const LAST_MINOR: Record<number, number> = { 3: 19, 4: 20, 5: 19, 6: 18 };

export const OLDEST = versionCode('2.6.24');
/** The newest release series the models were checked against (the CI machine runs 6.18.44). */
export const NEWEST = versionCode('6.18');

/** Every release series a model exists for, oldest first. */
export function releaseSeries(): string[] {
  const names: string[] = [];
  for (let sub = 24; sub <= 39; sub++) names.push(`2.6.${sub}`);
  for (const major of [3, 4, 5, 6]) for (let minor = 0; minor <= LAST_MINOR[major]; minor++) names.push(`${major}.${minor}`);
  return names;
}

const SERIES = new Set(releaseSeries());

/**
 * A release number as the user writes it ("6.1", "6.1.176", "2.6.24", "2.6.24.7") → its series name, or undefined when
 * it is not a Linux release the models cover.
 */
export function seriesOf(text: string): string | undefined {
  const m = /^(\d+)\.(\d+)(?:\.(\d+))?(?:\.(\d+))?$/.exec(text);
  if (!m) return undefined;
  const name = m[1] === '2' ? (m[3] === undefined ? undefined : `2.${m[2]}.${m[3]}`) : `${Number(m[1])}.${Number(m[2])}`;
  if (name === undefined || (m[1] !== '2' && m[4] !== undefined)) return undefined;
  return SERIES.has(name) ? name : undefined;
}

/**
 * The running kernel's release (uname -r, e.g. "6.18.44-fc-v782", "5.15.0-91-generic", "2.6.32-754.el6.x86_64") → the
 * series whose rules apply. Releases newer than the newest modelled series use the newest rules; releases older than
 * 2.6.24 have none (undefined).
 */
export function seriesOfRelease(release: string): string | undefined {
  const m = /^(\d+)\.(\d+)(?:\.(\d+))?/.exec(release.trim());
  if (!m) return undefined;
  const major = Number(m[1]);
  const minor = Number(m[2]);
  if (major === 2) {
    if (minor !== 6 || m[3] === undefined) return undefined;
    const code = versionCode(`2.6.${Number(m[3])}`);
    return code < OLDEST ? undefined : code > versionCode('2.6.39') ? undefined : `2.6.${Number(m[3])}`;
  }
  const code = versionCode(`${major}.${minor}`);
  if (code > NEWEST) return versionName(NEWEST);
  const name = `${major}.${minor}`;
  return SERIES.has(name) ? name : undefined;
}
