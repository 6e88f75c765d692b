/**
 * Transform and compose throughput on ops shaped like real editing: a few components, a
 * position anywhere in a 10,000-character document, short inserts and deletes.
 */
import { compose, type Op, transform } from '@jd-collab/ot';

function lcg(seed: number) {
  let s = seed >>> 0;
  return (n: number) => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s % n;
  };
}

function randomEdit(rnd: (n: number) => number, docLength: number): Op {
  const pos = rnd(docLength);
  const op: Op = pos > 0 ? [pos] : [];
  if (rnd(3) === 0) op.push({ d: 1 + rnd(5) });
  else op.push('abcdefgh'.slice(0, 1 + rnd(8)));
  return op;
}

export interface ThroughputResult {
  name: string;
  operations: number;
  ms: number;
  perSecond: number;
}

export function measureTransform(count = 200_000): ThroughputResult {
  const rnd = lcg(1);
  const pairs: Array<[Op, Op]> = [];
  for (let i = 0; i < count; i++) pairs.push([randomEdit(rnd, 10_000), randomEdit(rnd, 10_000)]);
  const start = process.hrtime.bigint();
  let sink = 0;
  for (const [a, b] of pairs) sink += transform(a, b, 'left').length;
  const ms = Number(process.hrtime.bigint() - start) / 1e6;
  if (sink < 0) throw new Error('unreachable');
  return { name: 'transform', operations: count, ms, perSecond: (count / ms) * 1000 };
}

export function measureCompose(count = 200_000): ThroughputResult {
  const rnd = lcg(2);
  const ops: Op[] = [];
  for (let i = 0; i < count; i++) ops.push(randomEdit(rnd, 10_000));
  const start = process.hrtime.bigint();
  let sink = 0;
  for (let i = 0; i + 1 < ops.length; i += 2) sink += compose(ops[i]!, ops[i + 1]!).length;
  const ms = Number(process.hrtime.bigint() - start) / 1e6;
  if (sink < 0) throw new Error('unreachable');
  const n = Math.floor(count / 2);
  return { name: 'compose', operations: n, ms, perSecond: (n / ms) * 1000 };
}
