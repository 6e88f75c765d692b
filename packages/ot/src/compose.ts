/** Composition: one op with the effect of applying `a`, then `b`. */
import { append, baseLengthOf, type Op, targetLengthOf, trim } from './op.js';
import { OpReader } from './op-reader.js';

/** apply(apply(doc, a), b) === apply(doc, compose(a, b)) for every doc that `a` applies to. */
export function compose(a: Op, b: Op): Op {
  const out: Op = [];
  const reader = new OpReader(a);
  for (const c of b) {
    if (typeof c === 'number') {
      // b keeps n code points of a's output: copy a's pieces producing them (a's deletes come along).
      let n = c;
      while (n > 0) {
        const piece = reader.take(n, 'delete')!;
        append(out, piece);
        n -= targetLengthOf(piece);
      }
    } else if (typeof c === 'string') {
      append(out, c);
    } else {
      // b deletes code points of a's output: a's retained text becomes deleted, a's inserts vanish.
      // Walk b's delete with a reader of its own so that deleted text (invertible form) is kept.
      const deleted = new OpReader([c]);
      let n = baseLengthOf(c);
      while (n > 0) {
        const piece = reader.take(n, 'delete')!;
        if (typeof piece === 'number') {
          append(out, deleted.take(piece, 'insert')!);
          n -= piece;
        } else if (typeof piece === 'string') {
          deleted.take(targetLengthOf(piece), 'insert');
          n -= targetLengthOf(piece);
        } else {
          append(out, piece);
        }
      }
    }
  }
  for (let piece = reader.take(-1, 'delete'); piece !== null; piece = reader.take(-1, 'delete')) {
    append(out, piece);
  }
  return trim(out);
}
