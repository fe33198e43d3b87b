// Errors the CLI reports as one line on stderr with exit code 2 (usage or input problems, never a stack trace).

export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}
