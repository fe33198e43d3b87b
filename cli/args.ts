// A small gcc-style argument parser: declared options only, repeated options collect, unknown ones are usage errors.
import { UsageError } from './errors';

export interface OptionSpec {
  /** Long name without dashes, e.g. "target". */
  name: string;
  /** Single-letter alias written as -X, e.g. "I" for -I DIR / -IDIR. */
  short?: string;
  /** Takes a value (`--name V`, `--name=V`, `-XV`, `-X V`). */
  value?: boolean;
  /** May be given several times; values collect in order. */
  repeat?: boolean;
}

export interface ParsedArgs {
  options: Map<string, string[]>;
  flags: Set<string>;
  positionals: string[];
}

export function parseArgs(argv: readonly string[], specs: readonly OptionSpec[]): ParsedArgs {
  const byLong = new Map(specs.map((s) => [s.name, s]));
  const byShort = new Map(specs.filter((s) => s.short).map((s) => [s.short as string, s]));
  const parsed: ParsedArgs = { options: new Map(), flags: new Set(), positionals: [] };
  const take = (spec: OptionSpec, value: string | undefined, index: number): number => {
    if (!spec.value) {
      if (value !== undefined) throw new UsageError(`option --${spec.name} takes no value`);
      parsed.flags.add(spec.name);
      return index;
    }
    let consumed = index;
    if (value === undefined) {
      consumed = index + 1;
      value = argv[consumed];
      if (value === undefined) throw new UsageError(`option --${spec.name} needs a value`);
    }
    const list = parsed.options.get(spec.name) ?? [];
    if (list.length > 0 && !spec.repeat) throw new UsageError(`option --${spec.name} given twice`);
    list.push(value);
    parsed.options.set(spec.name, list);
    return consumed;
  };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === '--') {
      parsed.positionals.push(...argv.slice(i + 1));
      break;
    }
    if (arg.startsWith('--')) {
      const eq = arg.indexOf('=');
      const name = eq < 0 ? arg.slice(2) : arg.slice(2, eq);
      const spec = byLong.get(name);
      if (!spec) throw new UsageError(`unknown option ${eq < 0 ? arg : arg.slice(0, eq)}`);
      i = take(spec, eq < 0 ? undefined : arg.slice(eq + 1), i);
    } else if (arg.startsWith('-') && arg.length > 1) {
      const spec = byShort.get(arg[1]);
      if (!spec) throw new UsageError(`unknown option ${arg}`);
      i = take(spec, arg.length > 2 ? arg.slice(2) : undefined, i);
    } else {
      parsed.positionals.push(arg);
    }
  }
  return parsed;
}

export function optionValues(args: ParsedArgs, name: string): string[] {
  return args.options.get(name) ?? [];
}

export function optionValue(args: ParsedArgs, name: string): string | undefined {
  return args.options.get(name)?.[0];
}

/** What a command accepts: its options, its --help text, and whether it takes positional arguments (files). */
export interface CommandSpec {
  options: readonly OptionSpec[];
  help: string;
  positionals: boolean;
  /** For a command without positionals: what to say about one given anyway, e.g. where the input comes from. */
  strayHint?: string;
}

/** A command's arguments, with `-h`/`--help` added and handled: prints the help and gives undefined when asked for it. */
export function parseCommand(argv: readonly string[], command: CommandSpec, io: { out(text: string): void }): ParsedArgs | undefined {
  const args = parseArgs(argv, [...command.options, { name: 'help', short: 'h' }]);
  if (args.flags.has('help')) {
    io.out(command.help);
    return undefined;
  }
  if (!command.positionals && args.positionals.length > 0) {
    throw new UsageError(`unexpected argument '${args.positionals[0]}'${command.strayHint ? ` (${command.strayHint})` : ''}`);
  }
  return args;
}
