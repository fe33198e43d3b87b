// Patch files among a command's inputs: each is applied in memory to the tree (--tree) and stands for the files it changes.
import { C_FILE_NAME, PATCH_FILE_NAME } from '../core/file-kinds';
import { patchErrors, patchedFiles } from '../core/patch/patched-files';
import { isPatchText } from '../core/patch/unified-diff';
import type { ReportInputs } from '../core/layout-report';
import type { LayoutErrorJson } from '../core/protocol';
import type { SourceCache } from '../core/c/source-cache';
import type { PatchLines } from '../core/rules/finding';
import type { FileHost } from '../core/source';
import { UsageError } from './errors';

/** A patch by its name, or (for a name that is neither a patch's nor C's) by its text. */
function isPatch(path: string, host: FileHost): boolean {
  if (PATCH_FILE_NAME.test(path)) return true;
  if (C_FILE_NAME.test(path)) return false;
  const text = host.readFile(path);
  return text !== undefined && isPatchText(text);
}

/** A Linux tree's internal file a patch changed, as patched: read as written by the rules that need no preprocessing. */
export interface InternalFile {
  path: string;
  text: string;
  shown: PatchLines;
  /** What it was before the patch (empty for a file the patch creates). */
  preimage?: string;
}

/**
 * The files to lay out for `inputs`: a C file as it is, a patch replaced by the C files it changes, their patched text
 * put in `cache` (as open buffers are), and what did not apply as errors at the patch's lines. `fragments` are files
 * made of a patch's own lines (the tree lacks them), reported at those lines; `shown` says where each patched file's
 * lines are in its patch, and `preimages` what each was before it (the published version). With `kernelTree`, a Linux
 * tree's internal files are not laid out but given apart, as `internal` (see patchedFiles).
 */
export function expandPatchInputs(
  inputs: string[],
  tree: string,
  host: FileHost,
  cache: SourceCache,
  kernelTree: boolean,
): Required<ReportInputs> & { paths: string[]; shown: Map<string, PatchLines>; preimages: Map<string, string>; internal: InternalFile[] } {
  const isDirectory = kernelTree && host.isDirectory ? (path: string) => host.isDirectory!(path) : undefined;
  const paths: string[] = [];
  const errors: LayoutErrorJson[] = [];
  const fragments = new Map<string, PatchLines>();
  const shown = new Map<string, PatchLines>();
  const preimages = new Map<string, string>();
  const internal: InternalFile[] = [];
  for (const input of inputs) {
    if (!isPatch(input, host)) {
      paths.push(input);
      continue;
    }
    const text = host.readFile(input) ?? '';
    if (!isPatchText(text)) throw new UsageError(`${input}: no unified diff in it (no ---/+++ file headers with @@ hunks)`);
    const patched = patchedFiles(text, tree, (p) => host.readFile(p), isDirectory);
    errors.push(...patchErrors(patched.problems, input));
    for (const file of patched.files) {
      if (file.internal) {
        internal.push({ path: file.path, text: file.text, shown: { file: input, lines: file.patchLines }, preimage: file.preimage });
        continue;
      }
      cache.setText(file.path, file.text);
      paths.push(file.path);
      shown.set(file.path, { file: input, lines: file.patchLines });
      if (file.preimage !== undefined) preimages.set(file.path, file.preimage);
      if (file.fromHunks) fragments.set(file.path, { file: input, lines: file.patchLines });
    }
  }
  return { paths, errors, fragments, shown, preimages, internal };
}
