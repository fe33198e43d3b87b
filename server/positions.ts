// Conversions between the core's spans and LSP ranges, and between document URIs and file paths.
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { Range } from 'vscode-languageserver';
import type { Span } from '../core/source';

export function spanToRange(span: Span): Range {
  return span.file.rangeOf(span.start, span.end);
}

/** A file path for file: URIs; other URIs (untitled buffers) stand for themselves. */
export function uriToPath(uri: string): string {
  if (uri.startsWith('file:')) {
    try {
      return fileURLToPath(uri);
    } catch {
      return uri;
    }
  }
  return uri;
}

export function pathToUri(path: string): string {
  return path.startsWith('/') ? pathToFileURL(path).toString() : path;
}
