/**
 * Replays an editing trace through the OT engine and checks the result against `endContent`.
 * Each patch becomes one op (`[pos, {d: n}, text]`), applied to a TextDocument, the way the
 * server applies committed changes. Plain string splicing is measured beside it as the
 * reference the issue compares against.
 */
import { codePointToUtf16, fromSimple, type Op, TextDocument } from '@jd-collab/ot';
import type { Patch, SequentialTrace } from '../traces.js';

export function patchToOp([pos, del, ins]: Patch): Op {
  const op: Op = [];
  if (pos > 0) op.push(pos);
  if (ins.length > 0) op.push(ins);
  if (del > 0) op.push({ d: del });
  return op;
}

export interface ReplayResult {
  name: string;
  patches: number;
  ms: number;
  opsPerSecond: number;
  correct: boolean;
}

function time<T>(fn: () => T): [T, number] {
  const start = process.hrtime.bigint();
  const value = fn();
  return [value, Number(process.hrtime.bigint() - start) / 1e6];
}

/** The engine: ops built from patches, applied to a TextDocument. */
export function replayWithTextDocument(trace: SequentialTrace): ReplayResult {
  let patches = 0;
  const [text, ms] = time(() => {
    const doc = new TextDocument(trace.startContent);
    for (const txn of trace.txns) {
      for (const patch of txn.patches) {
        doc.apply(patchToOp(patch));
        patches++;
      }
    }
    return doc.toString();
  });
  return {
    name: trace.name,
    patches,
    ms,
    opsPerSecond: (patches / ms) * 1000,
    correct: text === trace.endContent,
  };
}

/** Reference: String.slice splicing (code points converted to UTF-16 offsets per patch). */
export function replayWithStringSplice(trace: SequentialTrace): ReplayResult {
  let patches = 0;
  const [text, ms] = time(() => {
    let doc = trace.startContent;
    for (const txn of trace.txns) {
      for (const [pos, del, ins] of txn.patches) {
        const from = codePointToUtf16(doc, pos);
        const to = codePointToUtf16(doc, pos + del);
        doc = doc.slice(0, from) + ins + doc.slice(to);
        patches++;
      }
    }
    return doc;
  });
  return {
    name: trace.name,
    patches,
    ms,
    opsPerSecond: (patches / ms) * 1000,
    correct: text === trace.endContent,
  };
}

/** Validates that the simple-form converter agrees with patchToOp on a prefix of the trace. */
export function simpleFormAgrees(trace: SequentialTrace, limit = 1000): boolean {
  let checked = 0;
  for (const txn of trace.txns) {
    for (const [pos, del, ins] of txn.patches) {
      if (checked++ >= limit) return true;
      if (del > 0 && ins.length > 0) continue;
      const simple =
        ins.length > 0
          ? fromSimple({ operation: 'insert', position: pos, content: ins })
          : fromSimple({ operation: 'delete', position: pos, length: del });
      if (JSON.stringify(simple) !== JSON.stringify(patchToOp([pos, del, ins]))) return false;
    }
  }
  return true;
}
