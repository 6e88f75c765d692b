import { expect } from 'vitest';
import type { ClientMessage } from '../src/client-messages.js';
import { type MessageResult, parseFrame } from '../src/envelope.js';
import type { ErrorCode } from '../src/errors.js';

/** Parses one client envelope (given as a value) and returns its single result. */
export function parseOne(envelope: unknown): MessageResult<ClientMessage> {
  const { results } = parseFrame(JSON.stringify(envelope));
  expect(results).toHaveLength(1);
  return results[0]!;
}

/** Asserts that the envelope is accepted and returns the validated message. */
export function accept(envelope: unknown): ClientMessage {
  const result = parseOne(envelope);
  if (!result.ok) throw new Error(`expected accepted, got ${result.error.code}: ${result.error.message}`);
  return result.message;
}

/** Asserts that the envelope is refused with `code` and returns the error payload. */
export function refuse(envelope: unknown, code: ErrorCode) {
  const result = parseOne(envelope);
  if (result.ok) throw new Error(`expected ${code}, got accepted: ${JSON.stringify(result.message)}`);
  expect(result.error.code, result.error.message).toBe(code);
  expect(result.error.message.length).toBeGreaterThan(0);
  return result.error;
}
