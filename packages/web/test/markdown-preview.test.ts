// @vitest-environment jsdom
import { describe, expect, it } from 'vitest';
import { renderMarkdown } from '../src/editor/markdown-preview.js';

describe('Markdown preview', () => {
  it('renders the job description Markdown', () => {
    const html = renderMarkdown('# Data Analyst\n\n## Responsibilities\n\n- Own the **forecast** 🎉');
    expect(html).toContain('<h1>Data Analyst</h1>');
    expect(html).toContain('<li>Own the <strong>forecast</strong> 🎉</li>');
  });

  it('never lets a colleague run script in your browser', () => {
    const html = renderMarkdown(
      [
        '<script>alert(1)</script>',
        '<img src=x onerror="alert(2)">',
        '[click](javascript:alert(3))',
        '<a href="https://example.com" onclick="alert(4)">ok</a>',
        '<iframe src="https://evil.example"></iframe>',
      ].join('\n\n'),
    );
    expect(html).not.toMatch(/<script|onerror|javascript:|onclick|<iframe/i);
    expect(html).toContain('href="https://example.com"');
    expect(html).toContain('rel="noopener noreferrer"');
  });
});
