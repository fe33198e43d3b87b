// How a generated C file includes a header: by its name under /usr/include where it lies there, as users write it.
import { relative } from 'node:path';

/** `#include <linux/x.h>` for headers under /usr/include, else the absolute path. */
export function includeLine(header) {
  const rel = relative('/usr/include', header);
  return rel.startsWith('..') ? `#include "${header}"` : `#include <${rel}>`;
}
