// Loads the rule commands' bundle (dist/cli-rules.js, see rule-commands.ts) when a command needs what only it holds.
import { join } from 'node:path';

export function rulesBundle(): typeof import('./rule-commands') {
  return require(join(__dirname, 'cli-rules.js')) as typeof import('./rule-commands');
}
