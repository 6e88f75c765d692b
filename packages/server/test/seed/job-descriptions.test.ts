import { describe, expect, it } from 'vitest';
import { seedDocuments } from '../../src/seed/job-descriptions.js';
import { JOB_DESCRIPTION_SECTIONS } from '../../src/seed/template.js';

/** The level-2 headings of a Markdown text, in order. */
function sectionHeadings(markdown: string): string[] {
  return [...markdown.matchAll(/^## (.+)$/gm)].map((m) => m[1]!);
}

describe('seedDocuments', () => {
  it('holds six documents with unique slug ids derived from their titles', () => {
    expect(seedDocuments).toHaveLength(6);
    const ids = seedDocuments.map((d) => d.id);
    expect(new Set(ids).size).toBe(ids.length);
    for (const doc of seedDocuments) {
      expect(doc.id).toBe(doc.title.toLowerCase().replace(/[^a-z0-9]+/g, '-'));
      expect(doc.id).toMatch(/^[A-Za-z0-9_-]{1,128}$/); // a valid document id in the protocol
    }
  });

  it('mixes draft, review and published', () => {
    expect(new Set(seedDocuments.map((d) => d.status))).toEqual(new Set(['draft', 'review', 'published']));
  });

  for (const doc of seedDocuments) {
    it(`${doc.id}: title heading, summary, then the standard sections with content`, () => {
      const lines = doc.content.split('\n');
      expect(lines[0]).toBe(`# ${doc.title}`);
      expect(lines[1]).toBe('');
      expect(lines[2]!.length).toBeGreaterThan(80); // the summary paragraph
      expect(sectionHeadings(doc.content)).toEqual([...JOB_DESCRIPTION_SECTIONS]);
      for (const section of ['Responsibilities', 'Qualifications', 'Nice to have', 'What we offer']) {
        const body = doc.content.split(`## ${section}\n\n`)[1]!.split('\n## ')[0]!;
        expect(body.split('\n').filter((l) => l.startsWith('- ')).length).toBeGreaterThanOrEqual(3);
      }
      expect(doc.content.endsWith('\n')).toBe(true);
      expect(doc.department.length).toBeGreaterThan(0);
    });
  }

  it('uses some non-ASCII text, as real documents do', () => {
    const all = seedDocuments.map((d) => d.content).join('\n');
    expect(all).toContain('—');
    expect(all).toContain('café');
  });
});
