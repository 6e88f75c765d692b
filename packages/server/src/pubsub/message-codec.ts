/**
 * BrokerMessage to and from its wire form (JSON text). Both directions check the shape: a
 * publisher learns about its bug at once, and a receiver never hands its handlers a message
 * some other program (or an older node) put on the channel in another shape.
 */
import { type BrokerMessage, type BrokerMessageKind, PubSubError } from './types.js';

const KINDS: ReadonlySet<string> = new Set<BrokerMessageKind>([
  'change',
  'presence',
  'cursor',
  'selection',
  'save',
  'meta',
]);

/** Why `value` is not a BrokerMessage, or null when it is one. */
function problemWith(value: unknown): string | null {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return 'not an object';
  const m = value as Record<string, unknown>;
  if (typeof m.serverId !== 'string' || m.serverId === '') return 'serverId must be a non-empty string';
  if (typeof m.documentId !== 'string' || m.documentId === '') return 'documentId must be a non-empty string';
  if (typeof m.kind !== 'string' || !KINDS.has(m.kind)) {
    return `kind must be one of ${[...KINDS].join(', ')}, got ${String(m.kind)}`;
  }
  if (m.excludeSession !== undefined && typeof m.excludeSession !== 'string') {
    return 'excludeSession must be a string when present';
  }
  // JSON would drop these silently, and the receiver would see no payload at all.
  if (m.payload === undefined || typeof m.payload === 'function' || typeof m.payload === 'symbol') {
    return 'payload must be a JSON value';
  }
  return null;
}

export function encodeMessage(message: BrokerMessage): string {
  const problem = problemWith(message);
  if (problem) throw new PubSubError('INVALID_MESSAGE', `cannot publish: ${problem}`);
  try {
    return JSON.stringify(message);
  } catch (error) {
    throw new PubSubError(
      'INVALID_MESSAGE',
      `cannot publish: payload is not JSON-encodable (${String(error)})`,
    );
  }
}

export function decodeMessage(json: string): BrokerMessage {
  let value: unknown;
  try {
    value = JSON.parse(json);
  } catch {
    throw new PubSubError('INVALID_MESSAGE', `received a message that is not JSON: ${json.slice(0, 80)}`);
  }
  const problem = problemWith(value);
  if (problem) throw new PubSubError('INVALID_MESSAGE', `received a malformed message: ${problem}`);
  return value as BrokerMessage;
}
