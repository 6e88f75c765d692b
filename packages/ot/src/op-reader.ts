/**
 * Reads an op component by component, handing out pieces of a given length. Transform and
 * compose walk one op while a reader slices the other to match.
 */
import type { Component, Op } from './op.js';
import { advanceCodePoints, hasSurrogates } from './unicode.js';

/** Which kind of component is handed out whole instead of being cut to the requested length. */
export type Indivisible = 'insert' | 'delete';

export class OpReader {
  private index = 0;
  /** Within the current component: code points for counts, UTF-16 units for texts. */
  private offset = 0;

  constructor(private readonly op: Op) {}

  peekType(): 'retain' | 'insert' | 'delete' | null {
    const c = this.op[this.index];
    if (c === undefined) return null;
    return typeof c === 'number' ? 'retain' : typeof c === 'string' ? 'insert' : 'delete';
  }

  /**
   * Takes at most `n` code points of the current component (`n === -1`: all that remains of it).
   * Past the end, the op implicitly retains: returns `n`, or null when `n === -1`.
   */
  take(n: number, indivisible: Indivisible): Component | null {
    const c = this.op[this.index];
    if (c === undefined) return n === -1 ? null : n;
    if (typeof c === 'number') {
      const rest = c - this.offset;
      if (n === -1 || rest <= n) return this.next(rest);
      this.offset += n;
      return n;
    }
    if (typeof c === 'string') {
      if (indivisible === 'insert' || n === -1)
        return this.next(this.offset === 0 ? c : c.slice(this.offset));
      const end = hasSurrogates(c) ? advanceCodePoints(c, this.offset, n) : this.offset + n;
      if (end < 0 || end >= c.length) return this.next(this.offset === 0 ? c : c.slice(this.offset));
      const piece = c.slice(this.offset, end);
      this.offset = end;
      return piece;
    }
    if (typeof c.d === 'string') {
      const text = c.d;
      if (indivisible === 'delete' || n === -1)
        return this.next({ d: this.offset === 0 ? text : text.slice(this.offset) });
      const end = hasSurrogates(text) ? advanceCodePoints(text, this.offset, n) : this.offset + n;
      if (end < 0 || end >= text.length)
        return this.next({ d: this.offset === 0 ? text : text.slice(this.offset) });
      const piece = text.slice(this.offset, end);
      this.offset = end;
      return { d: piece };
    }
    const rest = c.d - this.offset;
    if (indivisible === 'delete' || n === -1 || rest <= n) return this.next({ d: rest });
    this.offset += n;
    return { d: n };
  }

  private next<T extends Component>(piece: T): T {
    this.index++;
    this.offset = 0;
    return piece;
  }
}
