/**
 * Code-point arithmetic on JavaScript (UTF-16) strings.
 *
 * The protocol counts Unicode code points so that clients in any language agree on what a
 * position means. JavaScript strings are UTF-16, so every position crossing this boundary is
 * converted here. Fast paths matter: most text has no astral characters, and then a code-point
 * index equals a UTF-16 index.
 */

const SURROGATE = /[\uD800-\uDFFF]/;

export function isHighSurrogate(unit: number): boolean {
  return unit >= 0xd800 && unit <= 0xdbff;
}

export function isLowSurrogate(unit: number): boolean {
  return unit >= 0xdc00 && unit <= 0xdfff;
}

/** Below this length a plain loop beats the regular expression (typed text is a few characters). */
const SHORT = 32;

/** True when the string contains any surrogate unit (so code points != UTF-16 units). */
export function hasSurrogates(s: string): boolean {
  if (s.length >= SHORT) return SURROGATE.test(s);
  for (let i = 0; i < s.length; i++) {
    const unit = s.charCodeAt(i);
    if (unit >= 0xd800 && unit <= 0xdfff) return true;
  }
  return false;
}

/** Number of Unicode code points in `s` (a lone surrogate counts as one). */
export function codePointLength(s: string): number {
  if (!hasSurrogates(s)) return s.length;
  let n = 0;
  for (let i = 0; i < s.length; i++) {
    if (isHighSurrogate(s.charCodeAt(i)) && i + 1 < s.length && isLowSurrogate(s.charCodeAt(i + 1))) i++;
    n++;
  }
  return n;
}

/**
 * UTF-16 index of the code point `cp` code points after UTF-16 index `from`.
 * Returns -1 when the string ends before that.
 */
export function advanceCodePoints(s: string, from: number, cp: number): number {
  let i = from;
  for (let n = 0; n < cp; n++) {
    if (i >= s.length) return -1;
    if (isHighSurrogate(s.charCodeAt(i)) && i + 1 < s.length && isLowSurrogate(s.charCodeAt(i + 1))) i += 2;
    else i += 1;
  }
  return i;
}

/** `s.slice` with code-point indexes. */
export function sliceCodePoints(s: string, start: number, end?: number): string {
  if (!hasSurrogates(s)) return s.slice(start, end);
  const from = advanceCodePoints(s, 0, start);
  if (from < 0) return '';
  if (end === undefined) return s.slice(from);
  const to = advanceCodePoints(s, from, end - start);
  return s.slice(from, to < 0 ? s.length : to);
}

/** True when `s` contains a surrogate unit that is not part of a valid pair. */
export function hasLoneSurrogate(s: string): boolean {
  if (!hasSurrogates(s)) return false;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (isHighSurrogate(c)) {
      if (i + 1 < s.length && isLowSurrogate(s.charCodeAt(i + 1))) i++;
      else return true;
    } else if (isLowSurrogate(c)) return true;
  }
  return false;
}

/** Converts a code-point offset into `s` to a UTF-16 offset (clamped to the string). */
export function codePointToUtf16(s: string, cp: number): number {
  if (!hasSurrogates(s)) return Math.min(cp, s.length);
  const i = advanceCodePoints(s, 0, cp);
  return i < 0 ? s.length : i;
}

/** Converts a UTF-16 offset into `s` to a code-point offset (an offset inside a pair rounds down). */
export function utf16ToCodePoint(s: string, utf16: number): number {
  if (!hasSurrogates(s)) return Math.min(utf16, s.length);
  let n = 0;
  for (let i = 0; i < utf16 && i < s.length; i++) {
    if (isHighSurrogate(s.charCodeAt(i)) && i + 1 < s.length && isLowSurrogate(s.charCodeAt(i + 1))) {
      if (i + 1 >= utf16) break;
      i++;
    }
    n++;
  }
  return n;
}
