// Custom LSP requests and settings shared by the client, the server and the webview (one typed place, like rust-analyzer's lsp_ext.ts).
import type { MatrixParams as SimMatrixParams, MatrixResult as SimMatrixResult, SimulateInput, SimulateOutput } from './sim/types';

export const SERVER_NAME = 'sysarg';

export const TARGET_NAMES = ['x86_64', 'i386', 'x32', 'aarch64', 'arm', 'riscv64'] as const;
export type TargetName = (typeof TARGET_NAMES)[number];

/** Settings under `sysarg.*`, as the server receives them. */
export interface SysargSettings {
  targets: TargetName[];
  includePaths: string[];
  defines: string[];
  /** UAPI headers of a Linux source tree include from the tree (FrontEndOptions.kernelTree). */
  kernelTree: boolean;
  /** What an open file is checked against: the same path at git's HEAD (trusted workspaces only), or nothing. */
  baseline: 'git' | 'none';
  /** Only the findings the baseline (the file at git's HEAD) did not have too: `sysarg check --new-only` in the editor. */
  newOnly: boolean;
  /**
   * The compilation database files are read with: '' finds the folder's compile_commands.json or
   * build/compile_commands.json, 'none' reads none, anything else is the file or directory it names.
   */
  compileCommands: string;
  inlayHints: { enabled: boolean };
}

export const DEFAULT_SETTINGS: SysargSettings = {
  targets: ['x86_64', 'i386'],
  includePaths: [],
  defines: [],
  kernelTree: true,
  baseline: 'git',
  newOnly: false,
  compileCommands: '',
  inlayHints: { enabled: false },
};

/** `sysarg/layout`: layouts of the records defined in a document. */
export const LayoutRequest = 'sysarg/layout';
export interface LayoutParams {
  uri: string;
  targets?: TargetName[];
  /** Also each field's nesting depth (`depths` on each record), which the text view indents by. */
  depths?: boolean;
}
export interface LayoutFieldJson {
  path: string | null;
  type: string;
  offset?: number;
  size?: number;
  align?: number;
  bitOffset?: number;
  bitWidth?: number;
  anonymous?: boolean;
}
export interface LayoutHoleJson {
  offset: number;
  size: number;
  after: string | null;
}
export interface TargetLayoutJson {
  size: number;
  align: number;
  tailPadding: number;
  holes: LayoutHoleJson[];
  /**
   * Bytes only unnamed bit-fields fill (`__u32 :24;`): the author's explicit padding, no hole. Added to the contract's
   * fields, and only where there is some.
   */
  explicitPadding?: LayoutHoleJson[];
  fields: LayoutFieldJson[];
}
export interface LayoutRecordJson {
  name: string;
  kind: 'struct' | 'union';
  file: string;
  line: number;
  typedef?: boolean;
  extensible: boolean;
  layouts: Partial<Record<TargetName, TargetLayoutJson>>;
  /**
   * Each field's nesting depth, 0 for the record's own members (members of an anonymous struct or union are one
   * deeper than it, which their paths do not show). Only when asked for: never in `sysarg layout --json`.
   */
  depths?: number[];
}
export interface LayoutErrorJson {
  file: string;
  line: number;
  column: number;
  message: string;
  /** Present only on what is no error: a fact about the input (a patched file the tree lacks, one not read). */
  severity?: 'information';
}
export interface LayoutResult {
  version: 1;
  records: LayoutRecordJson[];
  errors: LayoutErrorJson[];
}

/** A rule's finding as CONTRACTS.md's `sysarg check --format json` writes it (lines and columns 1-based). */
export interface DiagnosticJson {
  file: string;
  line: number;
  column: number;
  endLine: number;
  endColumn: number;
  severity: 'error' | 'warning' | 'information' | 'hint';
  rule: string;
  message: string;
  related?: { file: string; line: number; column: number; message: string }[];
  fixes?: { title: string; edits: { file: string; line: number; column: number; endLine: number; endColumn: number; newText: string }[] }[];
}

/** `sysarg/flags`: the flag families of a document (`sysarg flags --json` for one file). */
export const FlagsRequest = 'sysarg/flags';
export interface FlagsParams {
  uri: string;
}
export interface FlagWordJson {
  name: string;
  bits: number;
  used: number[];
  free: number[];
  reserved?: { name: string; mask: string }[];
}
export interface FlagJson {
  name: string;
  value: string;
  bits: number[];
  file: string;
  line: number;
  /** Added to the contract's fields, only where the value is no flag of its own: another flag's name, or a mask. */
  role?: 'alias' | 'mask';
  aliasOf?: string;
}
export interface FlagFamilyJson {
  prefix: string;
  /** Added: how the family was found (a `sysarg: flags` annotation, the clone flags, or evidence). */
  source: 'annotation' | 'clone' | 'evidence';
  words: FlagWordJson[];
  flags: FlagJson[];
  overlaps: { bit: number; names: string[] }[];
}
export interface FlagsResult {
  version: 1;
  families: FlagFamilyJson[];
  /** Added: what the flag rules find (flag-bit-duplicate, flag-bit-overlap, flag-out-of-range, flag-bits-exhausted). */
  diagnostics: DiagnosticJson[];
  /** Added: inputs that could not be read. */
  errors: LayoutErrorJson[];
}

/** `sysarg/simulate`: the params are the CLI's simulate input, plus the document whose patch is the author's model. */
export const SimulateRequest = 'sysarg/simulate';
export type SimulateParams = SimulateInput & { uri?: string };
export type SimulateResult = SimulateOutput;

/** `sysarg/matrix`: userspace struct versions x kernel models (the open document's patch adds a column). */
export const MatrixRequest = 'sysarg/matrix';
export type MatrixParams = SimMatrixParams & { uri?: string };
export type MatrixResult = SimMatrixResult;
