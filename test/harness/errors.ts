/**
 * What a test checks about an error it expects: that one was thrown at all (a call
 * that throws nothing fails the test), of which class, and its reason code.
 */
import { expect } from 'vitest';
import type { Entra2adError } from '../../src/errors.js';

type ErrorClass<E> = abstract new (...args: never[]) => E;

/** The error `run` throws or rejects with (`run` may be a promise), checked to be a `type`. */
export async function rejectionOf<E extends Error>(type: ErrorClass<E>, run: Promise<unknown> | (() => unknown)): Promise<E> {
  let error: unknown;
  try {
    await (typeof run === 'function' ? run() : run);
  } catch (e) {
    error = e;
  }
  expect(error).toBeInstanceOf(type);
  return error as E;
}

/** The reason code of the `type` error `fn` throws, checked to exit with `exitCode` (2: a usage error). */
export function reasonOf<E extends Entra2adError>(type: ErrorClass<E>, fn: () => unknown, exitCode = 2): string {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(type);
    expect((error as E).exitCode).toBe(exitCode);
    return (error as E).reason;
  }
  throw new Error(`expected ${type.name} to be thrown`);
}
