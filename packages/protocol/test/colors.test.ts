import { describe, expect, it } from 'vitest';
import { USER_COLORS, userColor } from '../src/colors.js';

function channel(hex: string, offset: number): number {
  const c = Number.parseInt(hex.slice(offset, offset + 2), 16) / 255;
  return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
}

/** WCAG relative luminance. */
function luminance(hex: string): number {
  return 0.2126 * channel(hex, 1) + 0.7152 * channel(hex, 3) + 0.0722 * channel(hex, 5);
}

/** CIELAB (D65) of an sRGB hex color, for perceptual distances (ΔE76). */
function lab(hex: string): [number, number, number] {
  const [r, g, b] = [1, 3, 5].map((i) => channel(hex, i)) as [number, number, number];
  const x = (0.4124 * r + 0.3576 * g + 0.1805 * b) / 0.95047;
  const y = 0.2126 * r + 0.7152 * g + 0.0722 * b;
  const z = (0.0193 * r + 0.1192 * g + 0.9505 * b) / 1.08883;
  const f = (t: number) => (t > 0.008856 ? Math.cbrt(t) : 7.787 * t + 16 / 116);
  return [116 * f(y) - 16, 500 * (f(x) - f(y)), 200 * (f(y) - f(z))];
}

describe('userColor', () => {
  it('is stable: the same id always gives the same color (golden values keep server and client in step)', () => {
    const ids = ['alice', 'bob', 'user-123', '😀'];
    const first = ids.map(userColor);
    expect(ids.map(userColor)).toEqual(first);
    expect(first.every((color) => (USER_COLORS as readonly string[]).includes(color))).toBe(true);
    // Golden values: changing the hash or palette changes every user's color; do it on purpose only.
    expect(userColor('alice')).toBe(USER_COLORS[fnvIndex('alice')]);
    expect(userColor('')).toBe(USER_COLORS[0x811c9dc5 % USER_COLORS.length]);
  });

  it('spreads ids over the palette', () => {
    const counts = new Map<string, number>();
    for (let i = 0; i < 1200; i++) {
      const color = userColor(`user-${i}`);
      counts.set(color, (counts.get(color) ?? 0) + 1);
    }
    expect(counts.size).toBe(USER_COLORS.length);
    for (const count of counts.values()) expect(count).toBeGreaterThan(50); // 100 expected per color
    // Neighbouring ids should not share a color too often.
    let same = 0;
    for (let i = 0; i < 1000; i++) if (userColor(`u${i}`) === userColor(`u${i + 1}`)) same++;
    expect(same).toBeLessThan(200);
  });

  it('has 12 distinct colors, each readable against white (WCAG AA, >= 4.5:1)', () => {
    expect(USER_COLORS).toHaveLength(12);
    expect(new Set(USER_COLORS).size).toBe(12);
    for (const color of USER_COLORS) {
      const contrast = 1.05 / (luminance(color) + 0.05);
      expect(contrast, color).toBeGreaterThanOrEqual(4.5);
    }
  });

  it('keeps every pair of palette colors perceptually apart (CIELAB ΔE > 35)', () => {
    for (let i = 0; i < USER_COLORS.length; i++) {
      for (let j = i + 1; j < USER_COLORS.length; j++) {
        const [a, b] = [lab(USER_COLORS[i]!), lab(USER_COLORS[j]!)];
        const distance = Math.hypot(a[0] - b[0], a[1] - b[1], a[2] - b[2]);
        expect(distance, `${USER_COLORS[i]} vs ${USER_COLORS[j]}`).toBeGreaterThan(35);
      }
    }
  });
});

/** Independent FNV-1a implementation (BigInt arithmetic) to pin the algorithm down. */
function fnvIndex(text: string): number {
  let hash = 0x811c9dc5n;
  for (let i = 0; i < text.length; i++) {
    hash ^= BigInt(text.charCodeAt(i));
    hash = (hash * 0x01000193n) & 0xffffffffn;
  }
  return Number(hash % BigInt(USER_COLORS.length));
}
