/**
 * A mutable document for servers, clients and benchmarks: the same op semantics as `apply`, but
 * edits cost O(chunk) instead of O(document), and so does reading the whole text after each edit.
 *
 * Text is kept in chunks of bounded size, each knowing its length in code points; a cached finger
 * (the last chunk touched) makes the typing pattern of real editing (edits near the previous one)
 * cheap to locate.
 *
 * Consecutive chunks form groups, and each group caches the joined string of its chunks (the
 * document caches the join of the groups). An edit forgets the string of the group it touched and
 * the document's; the next `toString()` re-joins that one group and then the group strings, so it
 * costs O(chunks per group + groups) instead of O(chunks). That matters to callers that read the
 * text after every edit (the client's change event carries it). V8 joins strings lazily (cons
 * strings), so such a read allocates that many small objects and copies no text until someone
 * inspects the characters.
 *
 * Plain strings stay the snapshot format everywhere else (`textType`), as the OT ecosystem
 * expects; this class only speeds up applying long runs of ops.
 */
import { baseLength, checkOp, deleteLength, type Op, OTError } from './op.js';
import { advanceCodePoints, codePointLength, isHighSurrogate } from './unicode.js';

const MAX_CHUNK = 256; // UTF-16 units; splitting above this keeps each splice cheap
const MIN_CHUNK = 32; // merge neighbours below this so chunks don't fragment
const MAX_GROUP = 32; // chunks; a read after an edit re-joins at most this many
const MIN_GROUP = 8; // merge neighbours below this so the list of groups stays short

interface Chunk {
  text: string;
  /** Length in code points. */
  cps: number;
}

interface Group {
  chunks: Chunk[];
  /** Length in code points (the sum of the chunks'). */
  cps: number;
  /** The chunks' texts joined, or null when an edit made it stale. */
  text: string | null;
}

type Bias = 'before' | 'after';

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

function makeGroup(chunks: Chunk[]): Group {
  let cps = 0;
  for (const c of chunks) cps += c.cps;
  return { chunks, cps, text: null };
}

/**
 * Spreads chunks over groups of at most MAX_GROUP, their sizes differing by at most one (so an
 * overflowing group splits into halves of at least MAX_GROUP / 2, never leaving a small group).
 */
function groupChunks(chunks: Chunk[]): Group[] {
  const count = Math.ceil(chunks.length / MAX_GROUP);
  const out: Group[] = [];
  for (let k = 0; k < count; k++) {
    const from = Math.floor((k * chunks.length) / count);
    const to = Math.floor(((k + 1) * chunks.length) / count);
    out.push(makeGroup(chunks.slice(from, to)));
  }
  return out;
}

/** The group's string, joined again only if an edit made it stale. */
function groupText(group: Group): string {
  if (group.text === null) {
    let s = '';
    for (const c of group.chunks) s += c.text;
    group.text = s;
  }
  return group.text;
}

/**
 * Walks from items[i], which starts at code point `start`, to the item holding code point `pos`,
 * and returns its index and start. Used for groups and for the chunks of a group alike. A position
 * on a boundary resolves to the end of the earlier item with 'before' (so typing extends it), to
 * the start of the later one with 'after' (so reading and deleting always find text ahead).
 */
function seek(items: readonly { cps: number }[], i: number, start: number, pos: number, bias: Bias) {
  while (i > 0 && pos <= start) {
    i--;
    start -= items[i]!.cps;
  }
  while (i < items.length - 1 && pos > start + items[i]!.cps) {
    start += items[i]!.cps;
    i++;
  }
  if (bias === 'after' && pos === start + items[i]!.cps && i < items.length - 1) {
    start += items[i]!.cps;
    i++;
  }
  return [i, start] as const;
}

export class TextDocument {
  /** Never empty groups, each of non-empty chunks; no groups at all for an empty document. */
  private groups: Group[];
  private cpLength: number;
  /** The whole text, or null when an edit made it stale. */
  private whole: string | null;
  /**
   * Cached locator: groups[fingerGroup] starts at code point fingerGroupStart, and its chunk
   * fingerChunk (when the group still has it) at fingerStart.
   */
  private fingerGroup = 0;
  private fingerGroupStart = 0;
  private fingerChunk = 0;
  private fingerStart = 0;

  constructor(text = '') {
    this.groups = groupChunks(cut(text));
    this.cpLength = codePointLength(text);
    this.whole = text;
  }

  /** Length in code points. */
  get length(): number {
    return this.cpLength;
  }

  /** How many chunks hold the text (diagnostics: chunks stay between MIN_CHUNK and MAX_CHUNK units). */
  get chunkCount(): number {
    let n = 0;
    for (const g of this.groups) n += g.chunks.length;
    return n;
  }

  /** The whole text; re-joins only the groups edited since the last read (see the top of the file). */
  toString(): string {
    if (this.whole === null) {
      let s = '';
      for (const g of this.groups) s += groupText(g);
      this.whole = s;
    }
    return this.whole;
  }

  /** Text between two code-point positions. */
  slice(from: number, to: number = this.cpLength): string {
    const start = Math.max(0, Math.min(from, this.cpLength));
    const end = Math.max(start, Math.min(to, this.cpLength));
    let out = '';
    let pos = start;
    while (pos < end) {
      const [g, i, offset] = this.locate(pos, 'after');
      const chunk = this.groups[g]!.chunks[i]!;
      const take = Math.min(chunk.cps - offset, end - pos);
      const u0 = unitOffset(chunk, offset);
      const u1 = chunk.cps === chunk.text.length ? u0 + take : advanceCodePoints(chunk.text, u0, take);
      out += chunk.text.slice(u0, u1);
      pos += take;
    }
    return out;
  }

  /**
   * Throws exactly what `apply(op)` would throw (OTError INVALID_OP / OP_DOES_NOT_FIT), without
   * applying it, so that a caller can check every op of a multi-step update before changing anything.
   */
  check(op: Op): void {
    checkOp(op);
    const needed = baseLength(op);
    if (needed > this.cpLength) {
      throw new OTError(
        'OP_DOES_NOT_FIT',
        `op reaches code point ${needed} but the document has only ${this.cpLength}`,
      );
    }
    // Deletes that name their text are checked against the original: all or nothing.
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
  }

  /**
   * Applies `op` in place. Validates first, so a malformed op or one that does not fit leaves
   * the document untouched (OTError INVALID_OP / OP_DOES_NOT_FIT).
   */
  apply(op: Op): void {
    this.check(op);
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
    this.cpLength += cps;
    this.whole = null;
    if (this.groups.length === 0) {
      this.groups = groupChunks(cut(text));
      this.resetFinger();
      return;
    }
    const [g, i, offset] = this.locate(pos, 'before');
    const group = this.groups[g]!;
    const chunk = group.chunks[i]!;
    const u = unitOffset(chunk, offset);
    const merged = chunk.text.slice(0, u) + text + chunk.text.slice(u);
    if (merged.length <= MAX_CHUNK) {
      chunk.text = merged;
      chunk.cps += cps;
    } else {
      // The first piece starts where chunk i did, so the finger stays valid.
      group.chunks.splice(i, 1, ...cut(merged));
    }
    group.cps += cps;
    group.text = null;
    if (group.chunks.length > MAX_GROUP) this.splitGroup(g);
  }

  /** Deletes `count` code points starting at `pos`. */
  deleteAt(pos: number, count: number): void {
    let remaining = Math.min(count, this.cpLength - pos);
    while (remaining > 0) {
      const [g, i, offset] = this.locate(pos, 'after');
      const group = this.groups[g]!;
      const chunk = group.chunks[i]!;
      const take = Math.min(chunk.cps - offset, remaining);
      this.cpLength -= take;
      this.whole = null;
      remaining -= take;
      if (take === chunk.cps) {
        // Chunk i is now the next one, whose start is where the removed one started: the finger
        // stays valid (locate notices when the removed chunk was the group's last).
        this.removeChunk(g, i);
        continue;
      }
      const u0 = unitOffset(chunk, offset);
      const u1 = chunk.cps === chunk.text.length ? u0 + take : advanceCodePoints(chunk.text, u0, take);
      chunk.text = chunk.text.slice(0, u0) + chunk.text.slice(u1);
      chunk.cps -= take;
      group.cps -= take;
      group.text = null;
      this.mergeIfSmall(g, i);
    }
  }

  /**
   * Merges a small chunk with the next one (which may open the next group), so chunks don't
   * fragment. The finger stays valid: chunk i keeps its start.
   */
  private mergeIfSmall(g: number, i: number): void {
    const group = this.groups[g]!;
    const chunk = group.chunks[i]!;
    if (chunk.text.length >= MIN_CHUNK) return;
    const inGroup = i + 1 < group.chunks.length;
    const nextGroup = inGroup ? g : g + 1;
    const nextIndex = inGroup ? i + 1 : 0;
    const next = this.groups[nextGroup]?.chunks[nextIndex];
    if (!next || chunk.text.length + next.text.length > MAX_CHUNK) return;
    chunk.text += next.text;
    chunk.cps += next.cps;
    group.cps += next.cps;
    group.text = null;
    this.removeChunk(nextGroup, nextIndex);
  }

  /** Removes chunk i of group g (with its text), then keeps the groups few and non-empty. */
  private removeChunk(g: number, i: number): void {
    const group = this.groups[g]!;
    const [chunk] = group.chunks.splice(i, 1);
    group.cps -= chunk!.cps;
    group.text = null;
    this.rebalance(g);
  }

  /** A group over MAX_GROUP chunks splits into halves; only its string was stale anyway. */
  private splitGroup(g: number): void {
    this.groups.splice(g, 1, ...groupChunks(this.groups[g]!.chunks));
    this.resetFinger();
  }

  /**
   * After group g lost a chunk: drops it if empty; if small, merges it into a neighbour that has
   * room (the next first, then the previous), so that no two neighbouring groups are both small
   * and the number of groups (the cost of a read) stays below about 2 * chunks / MIN_GROUP.
   */
  private rebalance(g: number): void {
    const group = this.groups[g]!;
    if (group.chunks.length === 0) {
      this.groups.splice(g, 1);
      this.resetFinger();
      return;
    }
    if (group.chunks.length >= MIN_GROUP) return;
    const next = this.groups[g + 1];
    if (next && group.chunks.length + next.chunks.length <= MAX_GROUP) this.joinGroups(g);
    const prev = this.groups[g - 1];
    if (prev && group.chunks.length < MIN_GROUP && prev.chunks.length + group.chunks.length <= MAX_GROUP) {
      this.joinGroups(g - 1);
    }
  }

  /** Group g takes the chunks of group g + 1. Two group strings go stale, no others. */
  private joinGroups(g: number): void {
    const group = this.groups[g]!;
    const next = this.groups[g + 1]!;
    group.chunks.push(...next.chunks);
    group.cps += next.cps;
    group.text = null;
    this.groups.splice(g + 1, 1);
    this.resetFinger();
  }

  /**
   * Groups were split, joined or removed, so the finger's indexes may name other chunks now. Such
   * changes are rare next to edits (a group splits after about MAX_GROUP / 2 chunk splits, and is
   * joined or dropped only after losing chunks), so starting the next walk from the beginning, at
   * O(groups + chunks per group), costs little and keeps the bookkeeping simple.
   */
  private resetFinger(): void {
    this.fingerGroup = 0;
    this.fingerGroupStart = 0;
    this.fingerChunk = 0;
    this.fingerStart = 0;
  }

  /**
   * Finds the group and chunk holding code point `pos` and the offset within the chunk, walking
   * from the finger: first over whole groups, then over the chunks of the group found (from the
   * finger's chunk when it is in that group). See `seek` for how `bias` resolves a boundary; doing
   * it per level gives the same chunk as one walk over all chunks would.
   */
  private locate(pos: number, bias: Bias): [group: number, chunk: number, offset: number] {
    if (this.fingerGroup >= this.groups.length) this.resetFinger();
    const [g, groupStart] = seek(this.groups, this.fingerGroup, this.fingerGroupStart, pos, bias);
    const chunks = this.groups[g]!.chunks;
    const fromFinger = g === this.fingerGroup && this.fingerChunk < chunks.length;
    const [i, start] = fromFinger
      ? seek(chunks, this.fingerChunk, this.fingerStart, pos, bias)
      : seek(chunks, 0, groupStart, pos, bias);
    this.fingerGroup = g;
    this.fingerGroupStart = groupStart;
    this.fingerChunk = i;
    this.fingerStart = start;
    return [g, i, pos - start];
  }
}
