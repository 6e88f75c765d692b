/**
 * The design document's simple change form, `{operation: 'insert', position, content}` and
 * `{operation: 'delete', position, length}`, converted to and from ops. Positions and lengths
 * count code points.
 */
import { checkOp, deleteLength, type Op, OTError } from './op.js';

export type SimpleChange =
  | { operation: 'insert'; position: number; content: string }
  | { operation: 'delete'; position: number; length: number };

function checkCount(name: string, value: unknown, min: number): number {
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < min) {
    throw new OTError('INVALID_OP', `${name} must be an integer >= ${min}, got ${String(value)}`);
  }
  return value;
}

export function fromSimple(change: SimpleChange): Op {
  const position = checkCount('position', change.position, 0);
  let op: Op;
  if (change.operation === 'insert') {
    if (typeof change.content !== 'string' || change.content.length === 0) {
      throw new OTError('INVALID_OP', 'content must be a non-empty string');
    }
    op = position > 0 ? [position, change.content] : [change.content];
  } else if (change.operation === 'delete') {
    const length = checkCount('length', change.length, 1);
    op = position > 0 ? [position, { d: length }] : [{ d: length }];
  } else {
    throw new OTError('INVALID_OP', `operation must be 'insert' or 'delete'`);
  }
  checkOp(op);
  return op;
}

/** The simple form of `op` when it is a single insert or a single delete, else null. */
export function toSimple(op: Op): SimpleChange | null {
  let position = 0;
  let i = 0;
  const first = op[0];
  if (typeof first === 'number') {
    position = first;
    i = 1;
  }
  if (op.length !== i + 1) return null;
  const c = op[i];
  if (typeof c === 'string') return { operation: 'insert', position, content: c };
  if (typeof c === 'object') return { operation: 'delete', position, length: deleteLength(c) };
  return null;
}
