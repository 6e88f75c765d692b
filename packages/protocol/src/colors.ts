/**
 * userColor(userId): a stable color per user, computed the same way on server and client so that
 * cursors, selections and avatars agree without a round trip. The palette holds 12 colors chosen
 * (greedy max-min search in CIELAB) to be pairwise at least 40 ΔE apart while all reaching WCAG AA
 * contrast (>= 4.5:1) against white, so white label text on them, and the colors on a white page,
 * stay readable.
 */
export const USER_COLORS = [
  '#EB0000', // red
  '#6F412A', // brown
  '#7E7407', // olive
  '#077E1B', // green
  '#077E74', // teal
  '#1B78BB', // sky blue
  '#0041C2', // royal blue
  '#3B00EB', // violet
  '#C400D6', // magenta
  '#7E306A', // plum
  '#DF0C98', // pink
  '#AD003A', // crimson
] as const;

export type UserColor = (typeof USER_COLORS)[number];

/** FNV-1a (32 bit) over the UTF-16 units of the id: tiny, deterministic, and well spread. */
function fnv1a(text: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }
  return hash >>> 0;
}

export function userColor(userId: string): UserColor {
  return USER_COLORS[fnv1a(userId) % USER_COLORS.length]!;
}
