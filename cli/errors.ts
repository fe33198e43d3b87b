// Errors the CLI reports as one line on stderr with exit code 2 (usage or input problems, never a stack trace).

/** Marks a UsageError from any bundle (the rule commands are bundled apart, cli/rule-commands.ts, with their own copy). */
const USAGE_ERROR = Symbol.for('sysarg.UsageError');

export class UsageError extends Error {
  readonly [USAGE_ERROR] = true;

  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }

  /** `instanceof` holds for a UsageError made by either bundle's copy of this class. */
  static override [Symbol.hasInstance](value: unknown): boolean {
    return typeof value === 'object' && value !== null && (value as { [USAGE_ERROR]?: boolean })[USAGE_ERROR] === true;
  }
}

/** Runs `compute`, turning the simulator's input errors into usage errors (exit 2, one line). */
export function inputErrorsAsUsage<T>(compute: () => T, isInputError: (error: unknown) => boolean): T {
  try {
    return compute();
  } catch (error) {
    if (isInputError(error)) throw new UsageError(error instanceof Error ? error.message : String(error));
    throw error;
  }
}
