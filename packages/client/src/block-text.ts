/**
 * The client's document text: cheap to edit AND cheap to read after every edit.
 *
 * A string costs O(length) per edit (apply copies the whole document), which made replaying a
 * 260,000-edit trace client-bound. A rope such as the OT engine's TextDocument makes the edit
 * O(chunk), but CollabClient reads `text` after every change (its change event carries it), and
 * joining hundreds of chunks per read is slower than the string was. So the text is kept in
 * blocks, and consecutive blocks form groups whose joined string is cached: an edit rewrites one
 * block and forgets one group's string (and the whole text's); the next read joins one group and
 * the few group strings. V8 joins strings lazily (cons strings), so such a read allocates
 * O(GROUP + groups) small objects and copies nothing until someone inspects the characters.
 *
 * Same op semantics and validation as `apply` from @jd-collab/ot (positions in code points; an op
 * that does not fit throws OTError and changes nothing).
 */
import {
  baseLength,
  checkOp,
  codePointLength,
  codePointToUtf16,
  deleteLength,
  type Op,
  OTError,
} from '@jd-collab/ot';

/** Largest block, in UTF-16 units: an edit copies at most about this much. */
const MAX_BLOCK = 1024;
/** A block below this merges with its neighbour, so deletes do not leave a trail of crumbs. */
const MIN_BLOCK = 128;
/** Blocks per cached group string. */
const GROUP = 32;

interface Block {
  text: string;
  /** Length in code points. */
  cps: number;
}

export class BlockText {
  #blocks: Block[];
  /** Cached join of blocks [g * GROUP, (g + 1) * GROUP); null when stale. */
  #groups: (string | null)[] = [];
  #string: string | null;
  #length: number;
  /** Where the last lookup ended: blocks[#fingerIndex] starts at code point #fingerStart. */
  #fingerIndex = 0;
  #fingerStart = 0;

  constructor(text = '') {
    this.#blocks = cut(text);
    this.#length = codePointLength(text);
    this.#string = text;
  }

  /** Length in code points. */
  get length(): number {
    return this.#length;
  }

  toString(): string {
    if (this.#string !== null) return this.#string;
    const groupCount = Math.ceil(this.#blocks.length / GROUP);
    this.#groups.length = groupCount;
    let out = '';
    for (let g = 0; g < groupCount; g++) {
      let group = this.#groups[g] ?? null;
      if (group === null) {
        group = '';
        const end = Math.min(this.#blocks.length, (g + 1) * GROUP);
        for (let i = g * GROUP; i < end; i++) group += this.#blocks[i]!.text;
        this.#groups[g] = group;
      }
      out += group;
    }
    this.#string = out;
    return out;
  }

  /** Text between two code-point positions (clamped to the document). */
  slice(from: number, to: number = this.#length): string {
    let pos = Math.max(0, Math.min(from, this.#length));
    const end = Math.max(pos, Math.min(to, this.#length));
    let out = '';
    while (pos < end) {
      const [i, offset] = this.#locateForward(pos);
      const block = this.#blocks[i]!;
      const take = Math.min(block.cps - offset, end - pos);
      if (take <= 0) throw new Error(`BlockText: no text at code point ${pos} of ${this.#length}`);
      out += block.text.slice(unitOffset(block, offset), unitOffset(block, offset + take));
      pos += take;
    }
    return out;
  }

  /**
   * Throws exactly what `apply(op)` would throw, without applying it, so that a caller can check
   * every op of a multi-step update before changing anything.
   */
  check(op: Op): void {
    checkOp(op);
    const needed = baseLength(op);
    if (needed > this.#length) {
      throw new OTError(
        'OP_DOES_NOT_FIT',
        `op reaches code point ${needed} but the document has only ${this.#length}`,
      );
    }
    let pos = 0;
    for (const c of op) {
      if (typeof c === 'number') pos += c;
      else if (typeof c === 'object') {
        const n = deleteLength(c);
        if (typeof c.d === 'string' && this.slice(pos, pos + n) !== c.d) {
          throw new OTError(
            'OP_DOES_NOT_FIT',
            `the text deleted at code point ${pos} is not the text the op names`,
          );
        }
        pos += n;
      }
    }
  }

  /** Applies `op` in place. Validates first: an op that does not fit changes nothing. */
  apply(op: Op): void {
    this.check(op);
    let pos = 0;
    for (const c of op) {
      if (typeof c === 'number') pos += c;
      else if (typeof c === 'string') {
        this.#insert(pos, c);
        pos += codePointLength(c);
      } else this.#delete(pos, deleteLength(c));
    }
  }

  #insert(pos: number, text: string): void {
    const cps = codePointLength(text);
    this.#length += cps;
    this.#string = null;
    if (this.#blocks.length === 0) {
      this.#replaceBlocks(0, 0, cut(text));
      return;
    }
    // A position on a boundary goes to the end of the earlier block, so typing extends it.
    const [i, offset] = this.#locate(pos);
    const block = this.#blocks[i]!;
    const u = unitOffset(block, offset);
    const merged = block.text.slice(0, u) + text + block.text.slice(u);
    if (merged.length <= MAX_BLOCK) {
      block.text = merged;
      block.cps += cps;
      this.#touched(i);
    } else {
      // Equal pieces of at most half a block, not a full block plus a one-character crumb:
      // otherwise every further insert into the full block splits again and crumbs pile up
      // (thousands of blocks, each joined on every read).
      const pieces = Math.ceil(merged.length / (MAX_BLOCK / 2));
      this.#replaceBlocks(i, 1, cut(merged, Math.ceil(merged.length / pieces)));
    }
  }

  #delete(pos: number, count: number): void {
    this.#length -= count;
    this.#string = null;
    let remaining = count;
    while (remaining > 0) {
      const [i, offset] = this.#locateForward(pos);
      const block = this.#blocks[i]!;
      const take = Math.min(block.cps - offset, remaining);
      // check() ruled this out; a bug must fail loudly rather than loop forever.
      if (take <= 0) throw new Error(`BlockText: no text at code point ${pos} of ${this.#length}`);
      remaining -= take;
      if (take === block.cps) {
        this.#replaceBlocks(i, 1, []);
        continue;
      }
      block.text =
        block.text.slice(0, unitOffset(block, offset)) + block.text.slice(unitOffset(block, offset + take));
      block.cps -= take;
      const next = this.#blocks[i + 1];
      if (block.text.length < MIN_BLOCK && next && block.text.length + next.text.length <= MAX_BLOCK) {
        this.#replaceBlocks(i, 2, [{ text: block.text + next.text, cps: block.cps + next.cps }]);
      } else {
        this.#touched(i);
      }
    }
  }

  /** Block i changed in place: its group's string is stale. */
  #touched(i: number): void {
    const g = Math.floor(i / GROUP);
    if (g < this.#groups.length) this.#groups[g] = null;
  }

  /** Blocks were added or removed at i: every group from there on holds other blocks now. */
  #replaceBlocks(i: number, remove: number, insert: Block[]): void {
    this.#blocks.splice(i, remove, ...insert);
    this.#groups.length = Math.min(this.#groups.length, Math.floor(i / GROUP));
    this.#fingerIndex = 0;
    this.#fingerStart = 0;
  }

  /** The block holding code point `pos`; a boundary resolves to the end of the earlier block. */
  #locate(pos: number): [number, number] {
    let i = this.#fingerIndex;
    let start = this.#fingerStart;
    if (i >= this.#blocks.length) {
      i = 0;
      start = 0;
    }
    while (i > 0 && pos <= start) {
      i--;
      start -= this.#blocks[i]!.cps;
    }
    while (i < this.#blocks.length - 1 && pos > start + this.#blocks[i]!.cps) {
      start += this.#blocks[i]!.cps;
      i++;
    }
    this.#fingerIndex = i;
    this.#fingerStart = start;
    return [i, pos - start];
  }

  /** Like #locate, but a boundary resolves to the start of the later block (for reading forward). */
  #locateForward(pos: number): [number, number] {
    const [i, offset] = this.#locate(pos);
    if (offset < this.#blocks[i]!.cps || i === this.#blocks.length - 1) return [i, offset];
    this.#fingerIndex = i + 1;
    this.#fingerStart = pos;
    return [i + 1, 0];
  }
}

/** UTF-16 offset of code point `cp` within a block. */
function unitOffset(block: Block, cp: number): number {
  return block.cps === block.text.length ? cp : codePointToUtf16(block.text, cp);
}

/** Cuts text into blocks of at most `size` units, never between the halves of a pair. */
function cut(text: string, size = MAX_BLOCK): Block[] {
  const blocks: Block[] = [];
  let at = 0;
  while (at < text.length) {
    let end = Math.min(text.length, at + size);
    const last = text.charCodeAt(end - 1);
    if (end < text.length && last >= 0xd800 && last <= 0xdbff) end--;
    const piece = text.slice(at, end);
    blocks.push({ text: piece, cps: codePointLength(piece) });
    at = end;
  }
  return blocks;
}
