// What every command does with -h/--help, a stray argument and an unknown option (cli/args.ts parseCommand).
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { runCli } from '../helpers/run-cli';

const COMMANDS = ['layout', 'simulate', 'matrix', 'export-c'];
const NO_POSITIONALS = ['simulate', 'matrix', 'export-c'];

describe('sysarg command arguments', () => {
  for (const command of COMMANDS) {
    it(`${command}: -h and --help print its usage and exit 0`, () => {
      for (const flag of ['-h', '--help']) {
        const run = runCli([command, flag]);
        assert.equal(run.status, 0, run.stderr);
        assert.ok(run.stdout.startsWith(`usage: sysarg ${command} `), run.stdout.split('\n')[0]);
        assert.equal(run.stderr, '');
      }
    });

    it(`${command}: an unknown option is one line on stderr and exit 2`, () => {
      const run = runCli([command, '--frobnicate']);
      assert.equal(run.status, 2);
      assert.equal(run.stdout, '');
      assert.equal(run.stderr.trim().split('\n').length, 1);
      assert.match(run.stderr, /unknown option --frobnicate/);
    });
  }

  for (const command of NO_POSITIONALS) {
    it(`${command}: a stray argument is one line on stderr and exit 2`, () => {
      const run = runCli([command, 'extra']);
      assert.equal(run.status, 2);
      assert.equal(run.stderr.trim().split('\n').length, 1);
      assert.match(run.stderr, new RegExp(`^sysarg ${command}: unexpected argument 'extra'`));
    });
  }
});
