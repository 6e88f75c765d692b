/**
 * Bridges between document.change payloads and OT ops: the server turns either client form into an op,
 * and adds the simple-form mirror to broadcasts of single inserts/deletes for simple clients.
 */
import { fromSimple, type Op, toSimple } from '@jd-collab/ot';
import type { ClientChangePayload } from './client-messages.js';
import type { ChangeBroadcastPayload } from './server-messages.js';

export interface NormalizedChange {
  op: Op;
  /** Absent only for simple-form changes sent without one; the server then generates an id. */
  changeId?: string;
  /** Absent only for simple-form changes sent without one: the last version sent to the session. */
  baseVersion?: number;
}

/** The op a validated document.change payload describes (full form: its op; simple form: fromSimple). */
export function changeToOp(payload: ClientChangePayload): Op {
  if ('op' in payload) return payload.op;
  return payload.operation === 'insert'
    ? fromSimple({ operation: 'insert', position: payload.position, content: payload.content })
    : fromSimple({ operation: 'delete', position: payload.position, length: payload.length });
}

/** Either client form as { op, changeId?, baseVersion? }. */
export function normalizeChange(payload: ClientChangePayload): NormalizedChange {
  const result: NormalizedChange = { op: changeToOp(payload) };
  if (payload.changeId !== undefined) result.changeId = payload.changeId;
  if (payload.baseVersion !== undefined) result.baseVersion = payload.baseVersion;
  return result;
}

export interface CommittedChange {
  changeId: string;
  version: number;
  op: Op;
  userId: string;
  userName: string;
}

/** Just the fields of a committed change (an entry of `document.changes`), whatever else `change` carries. */
export function committedChange(change: CommittedChange): CommittedChange {
  const { changeId, version, op, userId, userName } = change;
  return { changeId, version, op, userId, userName };
}

/** The document.change broadcast payload of a committed change, with the simple-form fields when they apply. */
export function changeBroadcastPayload(change: CommittedChange): ChangeBroadcastPayload {
  const base = committedChange(change);
  const simple = toSimple(change.op);
  if (simple === null) return base;
  return simple.operation === 'insert'
    ? { ...base, operation: 'insert', position: simple.position, content: simple.content }
    : { ...base, operation: 'delete', position: simple.position, length: simple.length };
}
