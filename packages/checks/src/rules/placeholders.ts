/**
 * Leftover template placeholders (remark plugin, rule `template-placeholder`, error): the template
 * (packages/server/src/seed/template.ts) fills every section with "[…]" hints, and a posting
 * published with one of them, or with "{{…}}", "TBD" or "XXX", is plainly unfinished.
 */
import type { Root } from 'mdast';
import { visit } from 'unist-util-visit';
import type { VFile } from 'vfile';
import { contextOf } from '../context.js';

/** "[Company name]" not followed by "(" or "[" (a link), nor by ":" (a definition). */
const BRACKETED = /\[([^\]\n]{2,})\](?![([:])/g;
const BRACED = /\{\{[^}\n]*\}\}/g;
const MARKERS = /\b(TBD|TBC|TODO|XXX+)\b/g;

export default function placeholders() {
  return (tree: Root, file: VFile) => {
    const context = contextOf(file);
    // Text only: code, inline code and link targets are the author's on purpose.
    visit(tree, 'text', (node) => {
      const start = node.position?.start.offset;
      const end = node.position?.end.offset;
      if (start === undefined || end === undefined) return;
      const source = context.text.slice(start, end);
      for (const pattern of [BRACKETED, BRACED, MARKERS]) {
        for (const match of source.matchAll(pattern)) {
          const from = start + match.index;
          context.findings.push({
            rule: 'template-placeholder',
            category: 'structure',
            severity: 'error',
            from,
            to: from + match[0].length,
            message: `Leftover placeholder ${JSON.stringify(match[0].length > 60 ? `${match[0].slice(0, 57)}…` : match[0])}: replace it with the real text.`,
            suggestions: [],
          });
        }
      }
    });
  };
}
