/**
 * A mutable document for servers and benchmarks: the same op semantics as `apply`, but edits
 * cost O(chunk) instead of O(document). Text is kept in chunks of bounded size, each knowing its
 * length in code points; a cached finger (the last chunk touched) makes the typing pattern of
 * real editing (edits near the previous one) cheap to locate.
 *
 * Plain strings stay the snapshot format everywhere else (`textType`), as the OT ecosystem
 * expects; this class only speeds up applying long runs of ops.
 */
import { baseLength, checkOp, deleteLength, type Op, OTError } from './op.js';
import { advanceCodePoints, codePointLength, isHighSurrogate } from './unicode.js';

const MAX_CHUNK = 256; // UTF-16 units; splitting above this keeps each splice cheap
const MIN_CHUNK = 32; // merge neighbours below this so chunks don't fragment

interface Chunk {
  text: string;
  /** Length in code points. */
  cps: number;
}

function makeChunk(text: string): Chunk {
  return { text, cps: codePointLength(text) };
}

/** UTF-16 offset of code point `cp` within a chunk. */
function unitOffset(chunk: Chunk, cp: number): number {
  if (chunk.cps === chunk.text.length) return cp;
  return advanceCodePoints(chunk.text, 0, cp);
}

/**
 * Cuts text into chunks of at most MAX_CHUNK units, of equal size (so an overflowing chunk splits
 * into halves, not into a full chunk and a crumb), never between the halves of a pair.
 */
function cut(text: string): Chunk[] {
  const out: Chunk[] = [];
  const size = Math.ceil(text.length / Math.ceil(text.length / MAX_CHUNK));
  let at = 0;
  while (at < text.length) {
    let end = Math.min(text.length, at + size);
    if (end < text.length && isHighSurrogate(text.charCodeAt(end - 1))) end--;
    out.push(makeChunk(text.slice(at, end)));
    at = end;
  }
  return out;
}

export class TextDocument {
  private chunks: Chunk[];
  private cpLength: number;
  /** Cached locator: chunks[fingerIndex] starts at code point fingerStart. */
  private fingerIndex = 0;
  private fingerStart = 0;

  constructor(text = '') {
    this.chunks = cut(text);
    this.cpLength = codePointLength(text);
  }

  /** Length in code points. */
  get length(): number {
    return this.cpLength;
  }

  /** How many chunks hold the text (diagnostics: chunks stay between MIN_CHUNK and MAX_CHUNK units). */
  get chunkCount(): number {
    return this.chunks.length;
  }

  toString(): string {
    if (this.chunks.length === 1) return this.chunks[0]!.text;
    let s = '';
    for (const c of this.chunks) s += c.text;
    return s;
  }

  /** Text between two code-point positions. */
  slice(from: number, to: number = this.cpLength): string {
    const start = Math.max(0, Math.min(from, this.cpLength));
    const end = Math.max(start, Math.min(to, this.cpLength));
    let out = '';
    let pos = start;
    while (pos < end) {
      const [i, offset] = this.locate(pos, 'after');
      const chunk = this.chunks[i]!;
      const take = Math.min(chunk.cps - offset, end - pos);
      const u0 = unitOffset(chunk, offset);
      const u1 = chunk.cps === chunk.text.length ? u0 + take : advanceCodePoints(chunk.text, u0, take);
      out += chunk.text.slice(u0, u1);
      pos += take;
    }
    return out;
  }

  /**
   * Applies `op` in place. Validates first, so a malformed op or one that does not fit leaves
   * the document untouched (OTError INVALID_OP / OP_DOES_NOT_FIT).
   */
  apply(op: Op): void {
    checkOp(op);
    const needed = baseLength(op);
    if (needed > this.cpLength) {
      throw new OTError(
        'OP_DOES_NOT_FIT',
        `op reaches code point ${needed} but the document has only ${this.cpLength}`,
      );
    }
    // Deletes that name their text are checked against the original first: all or nothing.
    let oldPos = 0;
    for (const c of op) {
      if (typeof c === 'number') oldPos += c;
      else if (typeof c === 'object') {
        const n = deleteLength(c);
        if (typeof c.d === 'string' && this.slice(oldPos, oldPos + n) !== c.d) {
          throw new OTError(
            'OP_DOES_NOT_FIT',
            `the text deleted at code point ${oldPos} is not the text the op names`,
          );
        }
        oldPos += n;
      }
    }
    let pos = 0;
    for (const c of op) {
      if (typeof c === 'number') pos += c;
      else if (typeof c === 'string') {
        this.insertAt(pos, c);
        pos += codePointLength(c);
      } else this.deleteAt(pos, deleteLength(c));
    }
  }

  /** Inserts text at a code-point position (0..length). */
  insertAt(pos: number, text: string): void {
    if (text.length === 0) return;
    const cps = codePointLength(text);
    if (this.chunks.length === 0) {
      this.chunks = cut(text);
      this.cpLength = cps;
      this.fingerIndex = 0;
      this.fingerStart = 0;
      return;
    }
    const [i, offset] = this.locate(pos, 'before');
    const chunk = this.chunks[i]!;
    const u = unitOffset(chunk, offset);
    const merged = chunk.text.slice(0, u) + text + chunk.text.slice(u);
    if (merged.length <= MAX_CHUNK) {
      chunk.text = merged;
      chunk.cps += cps;
    } else {
      this.chunks.splice(i, 1, ...cut(merged));
    }
    this.cpLength += cps;
  }

  /** Deletes `count` code points starting at `pos`. */
  deleteAt(pos: number, count: number): void {
    let remaining = Math.min(count, this.cpLength - pos);
    while (remaining > 0) {
      const [i, offset] = this.locate(pos, 'after');
      const chunk = this.chunks[i]!;
      const take = Math.min(chunk.cps - offset, remaining);
      if (take === chunk.cps) {
        this.chunks.splice(i, 1);
      } else {
        const u0 = unitOffset(chunk, offset);
        const u1 = chunk.cps === chunk.text.length ? u0 + take : advanceCodePoints(chunk.text, u0, take);
        chunk.text = chunk.text.slice(0, u0) + chunk.text.slice(u1);
        chunk.cps -= take;
        this.mergeIfSmall(i);
      }
      this.cpLength -= take;
      remaining -= take;
      // The finger still points at chunk i, whose start did not move.
    }
  }

  private mergeIfSmall(i: number): void {
    const chunk = this.chunks[i]!;
    if (chunk.text.length >= MIN_CHUNK) return;
    const next = this.chunks[i + 1];
    if (next && chunk.text.length + next.text.length <= MAX_CHUNK) {
      chunk.text += next.text;
      chunk.cps += next.cps;
      this.chunks.splice(i + 1, 1);
    }
  }

  /**
   * Finds the chunk holding code point `pos` and the offset within it. A position at a chunk
   * boundary resolves to the end of the earlier chunk with 'before' (so typing extends it), to the
   * start of the later one with 'after' (so reading and deleting always find text ahead).
   */
  private locate(pos: number, bias: 'before' | 'after'): [number, number] {
    let i = this.fingerIndex;
    let start = this.fingerStart;
    if (i >= this.chunks.length) {
      i = 0;
      start = 0;
    }
    while (i > 0 && pos <= start) {
      i--;
      start -= this.chunks[i]!.cps;
    }
    while (i < this.chunks.length - 1 && pos > start + this.chunks[i]!.cps) {
      start += this.chunks[i]!.cps;
      i++;
    }
    if (bias === 'after' && pos === start + this.chunks[i]!.cps && i < this.chunks.length - 1) {
      start += this.chunks[i]!.cps;
      i++;
    }
    this.fingerIndex = i;
    this.fingerStart = start;
    return [i, pos - start];
  }
}
