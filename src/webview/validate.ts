// Run-time checks for what a webview sends the host. A webview is a page that renders outside text; the
// host treats its messages as untrusted input: types, enums, lengths and ranges are checked before a
// handler sees them (Endpoint.handle/on take a check). A check returns the value rebuilt from what it
// checked (unknown object keys are left out), or throws InvalidMessage. No vscode or DOM import.

export class InvalidMessage extends Error {
  override name = 'InvalidMessage';
}

/** Returns the checked value, or throws InvalidMessage naming the path (`params.offset`). */
export type Check<T> = (value: unknown, path: string) => T;

function fail(path: string, what: string): never {
  throw new InvalidMessage(`${path}: ${what}`);
}

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  return typeof value;
}

export const check = {
  /** An integer in [min, max]. */
  int(min: number, max: number): Check<number> {
    return (v, path) => {
      if (typeof v !== 'number' || !Number.isInteger(v)) return fail(path, `expected an integer, got ${describe(v)}`);
      if (v < min || v > max) return fail(path, `${v} is outside ${min}..${max}`);
      return v;
    };
  },
  /** A string of at most maxLength UTF-16 units. */
  string(maxLength: number): Check<string> {
    return (v, path) => {
      if (typeof v !== 'string') return fail(path, `expected a string, got ${describe(v)}`);
      if (v.length > maxLength) return fail(path, `longer than ${maxLength} characters (${v.length})`);
      return v;
    };
  },
  boolean: ((v, path) => (typeof v === 'boolean' ? v : fail(path, `expected a boolean, got ${describe(v)}`))) as Check<boolean>,
  /** Nothing (a notification or request without parameters). */
  none: ((v, path) => (v === undefined || v === null ? undefined : fail(path, `expected nothing, got ${describe(v)}`))) as Check<undefined>,
  /** One of a fixed set of strings or numbers. */
  oneOf<const T extends string | number>(values: readonly T[]): Check<T> {
    return (v, path) => ((values as readonly unknown[]).includes(v) ? (v as T) : fail(path, `not one of ${values.join(', ')}`));
  },
  optional<T>(inner: Check<T>): Check<T | undefined> {
    return (v, path) => (v === undefined ? undefined : inner(v, path));
  },
  array<T>(item: Check<T>, maxLength: number): Check<T[]> {
    return (v, path) => {
      if (!Array.isArray(v)) return fail(path, `expected an array, got ${describe(v)}`);
      if (v.length > maxLength) return fail(path, `more than ${maxLength} items (${v.length})`);
      return v.map((x, i) => item(x, `${path}[${i}]`));
    };
  },
  /** A plain object with these keys; a key whose check is optional may be absent. Other keys are dropped. */
  object<T extends object>(shape: { [K in keyof T]-?: Check<T[K]> }): Check<T> {
    return (v, path) => {
      if (typeof v !== 'object' || v === null || Array.isArray(v)) return fail(path, `expected an object, got ${describe(v)}`);
      const out: Record<string, unknown> = {};
      for (const key of Object.keys(shape) as (keyof T & string)[]) {
        const value = shape[key]((v as Record<string, unknown>)[key], `${path}.${key}`);
        if (value !== undefined) out[key] = value;
      }
      return out as T;
    };
  },
};
