/**
 * Too many must-haves (remark plugin, rule `too-many-must-haves`): women apply only when they meet
 * nearly all listed requirements (HP internal report, cited by Mohr, HBR 2014), so a long list
 * narrows the pool. Counts the list items of the requirements sections ("nice to have" excluded).
 */
import type { List, Root } from 'mdast';
import type { VFile } from 'vfile';
import { contextOf } from '../context.js';
import { sectionsOf } from '../markdown/section-kinds.js';

export default function mustHaves() {
  return (_tree: Root, file: VFile) => {
    const context = contextOf(file);
    if (!context.outline) return;
    const max = context.options.thresholds.maxMustHaves;
    const items = sectionsOf(context.outline, 'requirements').flatMap((heading) =>
      heading.content.filter((n): n is List => n.type === 'list').flatMap((list) => list.children),
    );
    if (items.length <= max) return;
    const first = items[max]!;
    const last = items[items.length - 1]!;
    context.findings.push({
      rule: 'too-many-must-haves',
      category: 'structure',
      severity: 'warning',
      from: first.position?.start.offset ?? 0,
      to: last.position?.end.offset ?? 0,
      message: `${items.length} must-have requirements (more than ${max}): keep the ones truly needed on day one and move the rest to "Nice to have".`,
      suggestions: [],
    });
  };
}
