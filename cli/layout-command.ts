// `sysarg layout`: struct and union layouts of the named files on each target, as pahole-style text or CONTRACTS.md JSON.
import { C_SOURCE_NAME } from '../core/file-kinds';
import { writeLayoutReport } from '../core/layout-report';
import { parseCommand, type OptionSpec } from './args';
import { lowerHelperThreadPriority } from './helper-thread-priority';
import { FRONT_END_OPTIONS } from './front-end-options';
import type { CliIo } from './io';
import { sourcesFrom, type CommandInputs } from './inputs';
import { rulesBundle } from './rules-bundle';

const HELP = `usage: sysarg layout [--target T]... [-I DIR]... [-D NAME[=VALUE]]... [-U NAME]... [--nostdinc]
                     [--no-kernel-tree] [--compile-commands FILE|DIR] [--tree DIR] [--json] FILE...

Lays out every struct and union defined in FILE on each target (default x86_64; several with
--target x86_64 --target i386 or --target x86_64,i386). Targets: x86_64 i386 x32 aarch64 arm riscv64, or all.
A directory stands for every C file below it (.h, .c, ...), in the order find DIR | sort lists them.

A FILE under a Linux source tree's include/uapi/, arch/ARCH/include/uapi/ or tools/testing/selftests/ includes
from the tree, as the kernel's build does: after -I, the target's arch/ARCH/include/uapi and include/uapi (and
their generated/ directories where the tree was built, else the asm/ wrappers its build would generate), then the
system's headers, the text read as make
headers_install leaves it (no __user, no linux/compiler.h). A header under arch/ARCH/include/uapi/ is laid out
on ARCH's targets only (those asked for, else all of them: arm64 on aarch64), or not at all where Sysarg has
none (alpha, s390...: an information entry in "errors"). --no-kernel-tree searches as gcc would.

--compile-commands names a compilation database (compile_commands.json, or the directory holding one, as CMake,
Bear or the kernel's scripts/clang-tools/gen_compile_commands.py write it): a FILE it has a command for, a header
in the same directory as a source file it has one for, or else a header near one (the nearest source file's command
that searches its directory; not a kernel tree's UAPI headers and selftests, read as userspace sees them), is read
with that command's -I, -isystem, -idirafter, -iquote, -D, -U, -imacros and -include (read first, in that order,
from the command's directory or else searched for; an -imacros file's declarations dropped) and -nostdinc, after
the options given, instead of the tree's directories. A kernel build's command (-D__KERNEL__) is made for one ABI
(its -m64 or -m32, its cross compiler or clang --target, its arch/ARCH/include): its files are laid out on that one.
Other commands' -m32 is not read.

A FILE that is a patch (.patch, .diff, .mbox, or text that reads as a unified diff, git format-patch mails
included) is applied in memory to the tree at --tree DIR (default: the current directory), as patch -p1 run at
its top would (with fuzz 2), and stands for the C files it changes, laid out as patched. A hunk that does not
apply is reported and left out; of a file the tree lacks, what the patch's own lines define is laid out; in a
Linux tree, the files outside its UAPI headers and selftests are noted and not read.

"extensible" in the JSON says whether Sysarg counts a struct as an extensible syscall argument: its sysarg:
annotation, a *_SIZE_VER<n> family, its comment, a leading size member said to be its size, a DRM ioctl passing
it (DRM_IOWR), or a .c input (or a .c file a patch changes) copying it in with copy_struct_from_user().
`;

const OPTIONS: OptionSpec[] = [...FRONT_END_OPTIONS, { name: 'json' }, { name: 'tree', value: true }];

export function layoutCommand(argv: string[], io: CliIo): number {
  const args = parseCommand(argv, { options: OPTIONS, help: HELP, positionals: true }, io);
  if (!args) return 0;
  const { options, targets, inputs } = sourcesFrom(args, ['x86_64']);
  lowerHelperThreadPriority();
  // One thread on purpose: worker threads measured slower here (the work is memory-bound and the include
  // memos are per thread), see docs/performance.md.
  // The report goes out as it is made: held to the end, the records were ~17 MB of objects and the JSON text 9 MB.
  // What the .c inputs copy in with copy_struct_from_user() makes a struct extensible, as in `check` and the editor.
  const copiedStructs = hasCSource(inputs) ? rulesBundle().copiedStructsIn(inputs) : undefined;
  const analysisOptions = copiedStructs?.size ? { ...options, copiedStructs } : options;
  writeLayoutReport(inputs.cache, inputs.paths, targets, analysisOptions, args.flags.has('json') ? 'json' : 'text', io.out, undefined, inputs);
  return 0;
}

/** Whether any input is a .c file (named, below a named directory, or changed by a patch). */
function hasCSource(inputs: CommandInputs): boolean {
  return inputs.paths.some((path) => C_SOURCE_NAME.test(path)) || inputs.internal.some((file) => C_SOURCE_NAME.test(file.path));
}
