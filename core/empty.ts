// Empty containers for the object literals of hot paths: a literal holding `[]` or `{}` is copied from its template
// through a runtime call by code V8 has not optimised yet (about half of a batch run); one holding a call is not.

/** A new empty array. */
export function emptyList<T>(): T[] {
  return [];
}

/** A new empty object used as a record of named entries. */
export function emptyRecord<T extends object>(): T {
  return {} as T;
}
