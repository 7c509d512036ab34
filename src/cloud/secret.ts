/**
 * A secret that cannot leak by accident: `String(secret)`, `JSON.stringify`,
 * `console.log` and `util.inspect` all print `[redacted]`. Only `reveal()`
 * gives the value, and only the credential factory calls it.
 */
import { inspect } from 'node:util';

const REDACTED = '[redacted]';

export class Secret {
  readonly #value: string;

  constructor(value: string) {
    this.#value = value;
  }

  reveal(): string {
    return this.#value;
  }

  toString(): string {
    return REDACTED;
  }

  toJSON(): string {
    return REDACTED;
  }

  [inspect.custom](): string {
    return REDACTED;
  }
}
