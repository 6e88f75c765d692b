/**
 * The OT-type contract shared across the JavaScript OT ecosystem (ShareDB's `types.register`,
 * ot-fuzzer), so this type can be registered with ShareDB and run through its tooling unchanged.
 * Snapshots are plain strings.
 */
import { apply } from './apply.js';
import { compose } from './compose.js';
import { invert, makeInvertible } from './invert.js';
import { checkOp, isNoop, normalize, type Op, type Side } from './op.js';
import { transform, transformPosition } from './transform.js';

export const textType = {
  name: 'jd-text',
  uri: 'https://jd-collab.dev/types/text-codepoints/v1',
  create(initial?: unknown): string {
    if (initial === undefined || initial === null) return '';
    if (typeof initial !== 'string') throw new TypeError('jd-text snapshots are strings');
    return initial;
  },
  apply(snapshot: string, op: Op): string {
    return apply(snapshot, op);
  },
  transform(op: Op, other: Op, side: Side): Op {
    return transform(op, other, side);
  },
  compose,
  /** Inverts an op whose deletes carry their text (see makeInvertible); throws otherwise. */
  invert(op: Op): Op {
    return invert(op);
  },
  invertWithDoc(op: Op, snapshot: string): Op {
    return invert(op, snapshot);
  },
  makeInvertible(op: Op, snapshot: string): Op {
    return makeInvertible(op, snapshot);
  },
  normalize,
  isNoop,
  transformPosition(cursor: number, op: Op): number {
    return transformPosition(cursor, op);
  },
  checkValidOp(op: unknown): void {
    checkOp(op);
  },
  serialize(snapshot: string): string {
    return snapshot;
  },
  deserialize(data: string): string {
    return data;
  },
} as const;
