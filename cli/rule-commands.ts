// The rule commands (check, flags, snapshot), bundled apart from the CLI's main bundle (dist/cli-rules.js): in one
// bundle with them, `sysarg layout` over /usr/include/linux ran 4-7 % slower, its run's collector copying ~5 MB more
// (docs/performance.md), though layout runs none of their code.
export { checkCommand } from './check-command';
export { flagsCommand } from './flags-command';
export { snapshotCommand } from './snapshot-command';
export { copiedStructsIn } from './copied-structs';
