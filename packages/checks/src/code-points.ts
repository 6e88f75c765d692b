/**
 * UTF-16 offsets (what JavaScript strings, remark and retext count) to code-point offsets (what
 * the protocol and the OT engine count), so "é" or "😀" before a finding cannot shift it.
 */

/** Returns a converter for offsets into `text`; identity when the text has no astral characters. */
export function utf16ToCodePoints(text: string): (offset: number) => number {
  // Starts (UTF-16) of every surrogate pair: each one before an offset makes it one unit shorter.
  const pairs: number[] = [];
  for (let i = 0; i < text.length - 1; i++) {
    const c = text.charCodeAt(i);
    if (c >= 0xd800 && c <= 0xdbff) {
      const d = text.charCodeAt(i + 1);
      if (d >= 0xdc00 && d <= 0xdfff) {
        pairs.push(i);
        i++;
      }
    }
  }
  if (pairs.length === 0) return (offset) => offset;
  return (offset) => {
    // Count pairs whose low half lies before `offset` (pair start + 1 < offset).
    let lo = 0;
    let hi = pairs.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (pairs[mid]! + 1 < offset) lo = mid + 1;
      else hi = mid;
    }
    return offset - lo;
  };
}
