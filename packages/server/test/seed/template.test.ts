import { describe, expect, it } from 'vitest';
import { JOB_DESCRIPTION_SECTIONS, jobDescriptionTemplate } from '../../src/seed/template.js';

describe('jobDescriptionTemplate', () => {
  it('starts with the title and has every standard section in order', () => {
    const text = jobDescriptionTemplate('Site Reliability Engineer', 'Platform');
    expect(text.startsWith('# Site Reliability Engineer\n\n[Summary')).toBe(true);
    expect([...text.matchAll(/^## (.+)$/gm)].map((m) => m[1])).toEqual([...JOB_DESCRIPTION_SECTIONS]);
    expect(text).toContain('[Who Platform are');
  });

  it('keeps a multi-line or padded title on the heading line', () => {
    const text = jobDescriptionTemplate('  Head of\nCafé   Operations ', ' Retail\r\n');
    expect(text.split('\n')[0]).toBe('# Head of Café Operations');
    expect(text).toContain('[Who Retail are');
  });

  it('falls back to placeholders for an empty title and department', () => {
    const text = jobDescriptionTemplate('  ', '');
    expect(text.split('\n')[0]).toBe('# Job title');
    expect(text).toContain('[Who the team are');
  });
});
