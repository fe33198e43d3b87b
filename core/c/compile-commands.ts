// A compilation database (compile_commands.json, as CMake, Bear and the kernel's gen_compile_commands.py write it):
// the include directories and macros each file was built with, as clangd reads them.
import type { TargetName } from '../protocol';
import { dirname, joinPath } from './include-paths';
import type { ForcedInclude } from './preprocessor';

/** The file's name where build tools write it, and where clangd and Sysarg look for it. */
export const COMPILE_COMMANDS_FILE = 'compile_commands.json';

/** What a file's compile command says that the front end reads: where includes are searched, which macros are set. */
export interface CompileFlags {
  /** `-I`, then `-isystem`, `-idirafter` and `-iquote` directories, absolute, in the order gcc searches `<...>`. */
  includePaths: string[];
  /** `-D NAME` or `-D NAME=VALUE`, in order. */
  defines: string[];
  /** `-U NAME`, in order. */
  undefines: string[];
  /** `-imacros FILE` then `-include FILE`, each in order: read before the file's first line. */
  forcedIncludes: ForcedInclude[];
  /** `-nostdinc`: no system directories (the command's own -isystem ones stay). */
  nostdinc: boolean;
  /**
   * The one ABI a kernel build's command (`-D__KERNEL__`) compiles for, where Sysarg has it: the configuration it
   * reads (CONFIG_64BIT, CONFIG_X86_64...) holds on no other. Undefined for other commands, whose code may be
   * portable.
   */
  abi?: TargetName;
  /** The file the command compiles (absolute): the entry a header next to it borrows. */
  file: string;
}

export interface CompilationDatabase {
  /** The database file, as named. */
  path: string;
  /** The folder relative file paths asked about are taken from (the CLI's working directory). */
  cwd: string;
  /** By absolute, normalised file path: the first entry for each file. */
  byFile: ReadonlyMap<string, CompileEntry>;
  /** By directory: the first entry of a source file in it, which a header there without an entry of its own borrows. */
  byDirectory: ReadonlyMap<string, CompileEntry>;
  /** By directory without a source file: the entry its headers borrow from the nearest one (null: none), once found. */
  nearest: Map<string, CompileEntry | null>;
}

/**
 * One entry, its command read only when a file asks for it: a kernel build's database holds 32,000 commands of
 * ~1.6 KB each, of which a session reads a few.
 */
export interface CompileEntry {
  /** The entry's folder, absolute. */
  directory: string;
  /** The file it compiles, absolute. */
  file: string;
  /** `arguments`, or `command` to be split. */
  words: readonly string[] | string;
  /** Its flags, once read. */
  flags?: CompileFlags;
}

/** Options whose value is the next argument (or joined: `-Idir`, `-DX`). */
const JOINED = ['-I', '-D', '-U', '-isystem', '-idirafter', '-iquote'] as const;
type Joined = (typeof JOINED)[number];

/** Options that take the next argument, whose value Sysarg does not use: skipped with it. */
const WITH_VALUE = new Set(['-o', '-include-pch', '-MF', '-MT', '-MQ', '-x', '-Xclang', '-target', '-arch', '-isysroot', '--sysroot', '-aux-info']);

/** A source file, not a header: its entry is lent to the headers of its directory. */
const SOURCE_NAME = /\.(?:c|cc|cpp|cxx|m)$/;

/**
 * The database in `text` (read from `path`), or a one-line reason it is none. `path` should be absolute: relative
 * `directory` values are taken from its folder, relative files and include directories from the entry's `directory`, as clang does.
 */
export function readCompilationDatabase(path: string, text: string, cwd = '/'): CompilationDatabase | { error: string } {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (e) {
    return { error: `not JSON (${printable((e as Error).message.split('\n')[0])})` };
  }
  if (!Array.isArray(parsed)) return { error: 'not a compilation database: expected a JSON array of {directory, file, command or arguments}' };
  const byFile = new Map<string, CompileEntry>();
  const byDirectory = new Map<string, CompileEntry>();
  const base = dirname(absolute(path, '/'));
  for (const [i, raw] of parsed.entries()) {
    const entry = readEntry(raw, base);
    if (typeof entry === 'string') return { error: `entry ${i + 1}: ${entry}` };
    if (!byFile.has(entry.file)) byFile.set(entry.file, entry);
    const dir = dirname(entry.file);
    if (SOURCE_NAME.test(entry.file) && !byDirectory.has(dir)) byDirectory.set(dir, entry);
  }
  return { path, cwd, byFile, byDirectory, nearest: new Map() };
}

/**
 * The flags `file` is read with: its own entry's, else (a header) those of a source file in its directory, else with
 * `nearest` those of the source file nearest it, as clangd lends them: the directory sharing the longest leading
 * path with the header's (the first such in the database).
 */
export function compileFlagsFor(db: CompilationDatabase, file: string, nearest = false): CompileFlags | undefined {
  const path = absolute(file, db.cwd);
  const header = !SOURCE_NAME.test(path);
  let entry = db.byFile.get(path) ?? (header ? db.byDirectory.get(dirname(path)) : undefined);
  if (!entry && header && nearest) entry = nearestEntry(db, dirname(path));
  return entry && flagsOf(entry);
}

function flagsOf(entry: CompileEntry): CompileFlags {
  if (!entry.flags) {
    const words = typeof entry.words === 'string' ? splitCommand(entry.words) : entry.words;
    entry.flags = { ...flagsFrom(words.slice(1), entry.directory, words[0]), file: entry.file };
  }
  return entry.flags;
}

/** How many of the nearest source directories' commands are split to find one searching the header's directory. */
const NEAREST_TRIED = 64;

/**
 * The entry of the source directory sharing the most leading path components with `dir` (at least one), the first
 * such in the database; but before it, the nearest whose command searches a directory holding `dir` (-I include
 * for include/linux/sched/): a kernel build's database also holds the host tools it built, in the same tree.
 */
function nearestEntry(db: CompilationDatabase, dir: string): CompileEntry | undefined {
  let found = db.nearest.get(dir);
  if (found === undefined) {
    const parts = dir.split('/');
    const shared = (other: string[]): number => {
      let n = 0;
      while (n < parts.length && n < other.length && parts[n] === other[n]) n++;
      return n;
    };
    // Sorting is stable: among equally near ones, the database's order.
    const ranked = [...db.byDirectory]
      .map(([sourceDir, entry]) => ({ n: shared(sourceDir.split('/')), entry }))
      .filter(({ n }) => n > 1)
      .sort((a, b) => b.n - a.n);
    const searching = ranked.slice(0, NEAREST_TRIED).find(({ entry }) => flagsOf(entry).includePaths.some((p) => dir === p || dir.startsWith(`${p}/`)));
    found = (searching ?? ranked[0])?.entry ?? null;
    db.nearest.set(dir, found);
  }
  return found ?? undefined;
}

function readEntry(entry: unknown, base: string): CompileEntry | string {
  if (!entry || typeof entry !== 'object') return 'not an object';
  const { directory, file, command, arguments: args } = entry as Record<string, unknown>;
  if (typeof directory !== 'string' || typeof file !== 'string') return "no 'directory' or 'file' string";
  let words: readonly string[] | string;
  if (Array.isArray(args) && args.every((a) => typeof a === 'string')) words = args as string[];
  else if (typeof command === 'string') words = command;
  else return "no 'arguments' list of strings nor 'command' string";
  const dir = absolute(directory, base);
  return { directory: dir, file: absolute(file, dir), words };
}

/**
 * The front end's part of a compiler's arguments (the compiler's own name left out, `compiler` apart), directories
 * made absolute.
 */
export function flagsFrom(args: readonly string[], directory: string, compiler = ''): Omit<CompileFlags, 'file'> {
  const dirs: Record<Joined, string[]> = { '-I': [], '-D': [], '-U': [], '-isystem': [], '-idirafter': [], '-iquote': [] };
  const forcedIncludes: ForcedInclude[] = [];
  const macroFiles: ForcedInclude[] = [];
  let nostdinc = false;
  for (let i = 0; i < args.length; i++) {
    const arg = args[i];
    if (WITH_VALUE.has(arg)) {
      i++;
      continue;
    }
    if (arg === '-nostdinc') nostdinc = true;
    const forced = arg.startsWith('-include') ? '-include' : arg.startsWith('-imacros') ? '-imacros' : undefined;
    if (forced) {
      // Joined (`-includeconfig.h`) as gcc and clang take it too.
      const name = arg.length > forced.length ? arg.slice(forced.length) : args[++i];
      if (name !== undefined && forced === '-include') forcedIncludes.push({ path: absolute(name, directory), name });
      if (name !== undefined && forced === '-imacros') macroFiles.push({ path: absolute(name, directory), name, macrosOnly: true });
      continue;
    }
    const option = JOINED.find((o) => arg.startsWith(o));
    if (option === undefined) continue;
    const value = arg.length > option.length ? arg.slice(option.length) : args[++i];
    if (value !== undefined) dirs[option].push(value);
  }
  const at = (d: string) => absolute(d, directory);
  return {
    includePaths: [...dirs['-I'], ...dirs['-isystem'], ...dirs['-idirafter'], ...dirs['-iquote']].map(at),
    defines: dirs['-D'],
    undefines: dirs['-U'],
    // gcc reads every -imacros file before any -include.
    forcedIncludes: [...macroFiles, ...forcedIncludes],
    nostdinc,
    abi: dirs['-D'].includes('__KERNEL__') ? kernelCommandAbi(compiler, args, dirs['-I']) : undefined,
  };
}

/** The architecture of a target triple (`aarch64-linux-gnu`, `i686-pc-linux-gnu`) as the kernel names it. */
const TRIPLE_ARCH: [RegExp, string][] = [
  [/^x86_64/, 'x86'],
  [/^i[3-6]86/, 'x86-32'],
  [/^(?:aarch64|arm64)/, 'arm64'],
  [/^arm/, 'arm'],
  [/^riscv64/, 'riscv'],
];

/**
 * A kernel command's ABI: the architecture of its clang `--target`, of its cross compiler's name
 * (`aarch64-linux-gnu-gcc`) or of its `-I .../arch/ARCH/include`; on x86 its last `-m64`, `-m32` or `-mx32`.
 */
function kernelCommandAbi(compiler: string, args: readonly string[], includes: readonly string[]): TargetName | undefined {
  const triple = targetTriple(compiler, args);
  let arch = triple === undefined ? undefined : TRIPLE_ARCH.find(([re]) => re.test(triple))?.[1];
  if (triple !== undefined && arch === undefined) return undefined;
  arch ??= includes.map((dir) => /(?:^|\/)arch\/([a-z0-9]+)\/include\/?$/.exec(dir)?.[1]).find((a) => a !== undefined);
  if (arch !== 'x86' && arch !== 'x86-32') return arch === undefined ? undefined : ARCH_ABI[arch];
  const machine = args.filter((a) => a === '-m64' || a === '-m32' || a === '-mx32').pop();
  if (machine === '-mx32') return 'x32';
  return machine === '-m32' || (machine === undefined && arch === 'x86-32') ? 'i386' : 'x86_64';
}

/** The one ABI Sysarg has for each of the other kernel architectures. */
const ARCH_ABI: Readonly<Record<string, TargetName>> = { arm64: 'aarch64', arm: 'arm', riscv: 'riscv64' };

/** The target triple a command names: clang's `--target=T` or `-target T`, else its cross compiler's prefix. */
function targetTriple(compiler: string, args: readonly string[]): string | undefined {
  for (let i = args.length - 1; i >= 0; i--) {
    if (args[i].startsWith('--target=')) return args[i].slice('--target='.length);
    if (args[i] === '-target' && i + 1 < args.length) return args[i + 1];
  }
  const name = compiler.slice(compiler.lastIndexOf('/') + 1);
  return /^([a-z0-9_]+-[a-z0-9_-]+)-(?:gcc|clang|cc)(?:-[0-9.]+)?$/.exec(name)?.[1];
}

/** A command line split as a POSIX shell splits words: single and double quotes, backslash escapes. */
export function splitCommand(command: string): string[] {
  const words: string[] = [];
  let word = '';
  let inWord = false;
  let quote: '"' | "'" | undefined;
  for (let i = 0; i < command.length; i++) {
    const c = command[i];
    if (quote === "'") {
      if (c === "'") quote = undefined;
      else word += c;
    } else if (quote === '"') {
      if (c === '"') quote = undefined;
      else if (c === '\\' && i + 1 < command.length && '"\\$`\n'.includes(command[i + 1])) word += command[++i];
      else word += c;
    } else if (c === ' ' || c === '\t' || c === '\n') {
      if (inWord) words.push(word);
      word = '';
      inWord = false;
    } else {
      inWord = true;
      if (c === "'" || c === '"') quote = c;
      else if (c === '\\' && i + 1 < command.length) word += command[++i];
      else word += c;
    }
  }
  if (inWord) words.push(word);
  return words;
}

/** A message quoting a file's text (JSON.parse's does), control characters and all, made one printable line. */
function printable(text: string): string {
  return text.replace(/[\u0000-\u001f\u007f-\u009f\ufffd]/g, '?');
}

/** `path` from folder `from` (joinPath keeps an absolute path as it is). */
function absolute(path: string, from: string): string {
  return joinPath(from, path);
}
