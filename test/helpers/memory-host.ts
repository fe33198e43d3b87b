// In-memory files for core tests, and a one-call way to lay out a snippet on a target.
import { LayoutError, type RecordLayout } from '../../core/abi/layout';
import { SourceCache } from '../../core/c/source-cache';
import { analyzeDocument, type DocumentAnalysis } from '../../core/document-analysis';
import { translate, type FrontEndOptions, type TargetUnit } from '../../core/front-end';
import type { TargetName } from '../../core/protocol';
import type { FileHost } from '../../core/source';

export function memoryHost(files: Record<string, string>): FileHost {
  const dirs = new Set<string>();
  for (const path of Object.keys(files)) {
    const parts = path.split('/');
    for (let i = 1; i < parts.length; i++) dirs.add(parts.slice(0, i).join('/') || '/');
  }
  return {
    readFile: (path) => files[path],
    isDirectory: (path) => dirs.has(path),
  };
}

/** Translates `/test/main.h` holding `text` (plus other in-memory files) with no system headers. */
export function unitOf(text: string, target: TargetName = 'x86_64', files: Record<string, string> = {}, options: FrontEndOptions = {}): TargetUnit {
  const cache = new SourceCache(memoryHost({ '/test/main.h': text, ...files }));
  return translate(cache, cache.get('/test/main.h')!, target, { nostdinc: true, ...options });
}

export function analysisOf(text: string, targets: TargetName[] = ['x86_64'], files: Record<string, string> = {}): DocumentAnalysis {
  const cache = new SourceCache(memoryHost({ '/test/main.h': text, ...files }));
  return analyzeDocument(cache, cache.get('/test/main.h')!, targets, { nostdinc: true });
}

/** The layout of the record named `name` (tag or typedef name) on `target`; throws if it has none. */
export function layoutOf(text: string, name: string, target: TargetName = 'x86_64'): RecordLayout {
  const unit = unitOf(text, target);
  const decl = unit.decls.records.find((r) => r.members !== null && (r.tag === name || r.typedefNames.includes(name)));
  if (!decl) throw new Error(`no record ${name}; diagnostics: ${unit.diagnostics.map((d) => d.message).join('; ')}`);
  const layout = unit.engine.layout(decl);
  if (layout instanceof LayoutError) throw new Error(`no layout for ${name}: ${layout.message}`);
  return layout;
}

/** Output token texts of the preprocessor for `text`, joined by spaces. */
export function expand(text: string, files: Record<string, string> = {}, options: FrontEndOptions = {}): string {
  return unitOf(text, 'x86_64', files, options).pp.tokens.filter((t) => t.text !== '').map((t) => t.text).join(' ');
}
