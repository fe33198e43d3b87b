// Entry point of the `sysarg` command: dispatches to one module per subcommand and turns input errors into exit code 2.
import { UsageError } from './errors';
import { OutputClosed, OutputError, processIo, type Command, type CliIo } from './io';
import { rulesBundle } from './rules-bundle';

const USAGE = `usage: sysarg <command> [options]

commands:
  check       the rules: non-tail insertions, published-prefix changes, padding, SIZE_VER, flag bits (text/json/sarif)
  layout      struct/union layouts per ABI (pahole-style text, or --json)
  flags       flag families (CLONE_* and others): their words, used and free bits, clashes (--json)
  snapshot    an ABI lock file of the structs, for check --baseline lock:FILE
  simulate    predict a clone/clone3/unshare call (--input FILE|-)
  matrix      compatibility matrix: struct versions x kernel models
  export-c    write a simulated call as a standalone C program
  lsp         start the language server (--stdio | --node-ipc | --socket=N | --pipe=NAME)

Run 'sysarg <command> --help' for the options of one command.
`;

const commands: Record<string, () => Promise<Command>> = {
  check: async () => rulesBundle().checkCommand,
  layout: async () => (await import('./layout-command')).layoutCommand,
  flags: async () => rulesBundle().flagsCommand,
  snapshot: async () => rulesBundle().snapshotCommand,
  simulate: async () => (await import('./simulate-command')).simulateCommand,
  matrix: async () => (await import('./matrix-command')).matrixCommand,
  'export-c': async () => (await import('./export-c-command')).exportCCommand,
  lsp: async () => (await import('./lsp-command')).lspCommand,
};

export async function main(argv: string[], io: CliIo): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
    (name === undefined ? io.err : io.out)(USAGE);
    return name === undefined ? 2 : 0;
  }
  if (name === '--version') {
    io.out('sysarg 0.1.0\n');
    return 0;
  }
  const load = commands[name];
  if (!load) {
    io.err(`sysarg: unknown command '${name}' (try 'sysarg --help')\n`);
    return 2;
  }
  try {
    return await (await load())(rest, io);
  } catch (error) {
    if (error instanceof OutputClosed) return 0;
    if (error instanceof OutputError) {
      io.err(`sysarg ${name}: cannot write output: ${error.message}\n`);
      return 2;
    }
    if (error instanceof UsageError) {
      io.err(`sysarg ${name}: ${error.message.replace(/\n/g, ' ')}\n`);
      return 2;
    }
    const message = error instanceof Error ? error.message : String(error);
    io.err(`sysarg ${name}: internal error: ${message.split('\n')[0]}\n`);
    return 2;
  }
}

if (require.main === module) {
  main(process.argv.slice(2), processIo).then(
    (code) => {
      process.exitCode = code;
    },
    () => {
      process.exitCode = 2;
    },
  );
}
