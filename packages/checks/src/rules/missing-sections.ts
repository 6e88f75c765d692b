/**
 * Missing sections (remark plugin, rule `missing-section`): a job description without a summary,
 * responsibilities, requirements or an offer/pay section leaves out what applicants look for first.
 * Also builds the outline the other rules use, so it runs first.
 */
import type { Root } from 'mdast';
import type { VFile } from 'vfile';
import { contextOf } from '../context.js';
import { buildOutline, documentAnchor } from '../markdown/outline.js';
import { hasSummary, type SectionKind, sectionsOf } from '../markdown/section-kinds.js';

const LABELS: Record<SectionKind, { name: string; heading: string }> = {
  summary: { name: 'summary of the role', heading: 'About the role' },
  responsibilities: { name: 'responsibilities section', heading: 'Responsibilities' },
  requirements: { name: 'requirements section', heading: 'Requirements' },
  offer: { name: 'section on pay and what you offer', heading: 'What we offer' },
};

export default function missingSections() {
  return (tree: Root, file: VFile) => {
    const context = contextOf(file);
    const outline = buildOutline(tree);
    context.outline = outline;
    const anchor = documentAnchor(outline);
    for (const kind of ['summary', 'responsibilities', 'requirements', 'offer'] as const) {
      const present = kind === 'summary' ? hasSummary(outline) : sectionsOf(outline, kind).length > 0;
      if (present) continue;
      context.findings.push({
        rule: 'missing-section',
        category: 'structure',
        severity: 'warning',
        ...anchor,
        message: `Missing: a ${LABELS[kind].name}.`,
        suggestions: [`## ${LABELS[kind].heading}`],
      });
    }
  };
}
