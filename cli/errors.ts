// Errors the CLI reports as one line on stderr with exit code 2 (usage or input problems, never a stack trace).

export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
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
