/**
 * docs/protocol.md is the protocol reference: these tests keep it in step with the package (every error
 * code with its HTTP status and close code, every close code, every message type, and every JSON example
 * valid in its direction).
 */
import { readFileSync } from 'node:fs';
import { apply } from '@jd-collab/ot';
import { describe, expect, it } from 'vitest';
import { CloseCodes } from '../src/close-codes.js';
import { parseFrame, parseServerFrame } from '../src/envelope.js';
import { ErrorCodes } from '../src/errors.js';
import { MessageType } from '../src/message-types.js';

const markdown = readFileSync(new URL('../../../docs/protocol.md', import.meta.url), 'utf8');

/** Cells of the table row whose first cell is exactly `first`, or undefined. */
function row(first: string): string[] | undefined {
  for (const line of markdown.split('\n')) {
    if (!line.startsWith('|')) continue;
    const cells = line
      .slice(1, -1)
      .split(' | ')
      .map((cell) => cell.trim());
    if (cells[0] === first) return cells;
  }
  return undefined;
}

describe('docs/protocol.md', () => {
  it.each(Object.values(ErrorCodes))(
    'documents error code $code with its HTTP status and close code',
    (entry) => {
      const cells = row(`\`${entry.code}\``);
      expect(cells, `no table row for ${entry.code}`).toBeDefined();
      const [, meaning, action, http, close] = cells!;
      expect(meaning?.length).toBeGreaterThan(10);
      expect(action?.length).toBeGreaterThan(10);
      expect(http).toBe(String(entry.httpStatus));
      expect(close).toBe(entry.closeCode === undefined ? '—' : String(entry.closeCode));
    },
  );

  it.each(Object.values(CloseCodes))('documents close code $code ($name)', (info) => {
    const cells = row(String(info.code));
    expect(cells, `no table row for ${info.code}`).toBeDefined();
    expect(cells![1]).toBe(`\`${info.name}\``);
    expect(cells![3]?.startsWith(info.reconnect ? 'yes' : 'no')).toBe(true);
  });

  it('documents every message type under its own heading', () => {
    for (const type of Object.values(MessageType)) {
      expect(markdown, type).toMatch(new RegExp(`^### .*\`${type.replace('.', '\\.')}\``, 'm'));
    }
  });

  it('has only valid JSON examples, each in the direction its code fence names', () => {
    const blocks = [...markdown.matchAll(/^( *)```json (client|server)( refused)?\n([\s\S]*?)^\1```$/gm)];
    expect(blocks.length).toBeGreaterThan(20);
    for (const [, , direction, refused, body] of blocks) {
      const { results } = direction === 'client' ? parseFrame(body!) : parseServerFrame(body!);
      for (const result of results) {
        const outcome = result.ok ? 'ok' : `${result.error.code}: ${result.error.message}`;
        if (refused) {
          // The example error that follows a refused example must be exactly what the parser says.
          expect(result.ok, body).toBe(false);
          expect(markdown).toContain(`"message": "${result.ok ? '' : result.error.message}"`);
        } else expect(`${outcome}\n${body}`).toBe(`ok\n${body}`);
      }
    }
  });

  it('has an op examples table that the OT engine agrees with', () => {
    const rows = [...markdown.matchAll(/^\| +`([^`]*)` +\| +`(\[[^`]*\])` +\| +`([^`]*)`/gm)];
    expect(rows.length).toBeGreaterThanOrEqual(5);
    for (const [, before, op, after] of rows) {
      expect(apply(before!, JSON.parse(op!)), `${before} ${op}`).toBe(after);
    }
  });
});
