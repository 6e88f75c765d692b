/**
 * The document's headings and the ranges of their sections, from the Markdown tree: structure
 * rules ask "is there a requirements section, and what is in it" of this, never of prose.
 */
import type { Heading, Root, RootContent } from 'mdast';
import { toString as mdastToString } from 'mdast-util-to-string';

export interface OutlineHeading {
  depth: number;
  text: string;
  /** UTF-16 offsets of the heading line. */
  start: number;
  end: number;
  /** Root children after the heading up to the next heading of the same or a higher level. */
  content: RootContent[];
}

export interface Outline {
  /** The first `#` heading, if any: the job title. */
  title: OutlineHeading | undefined;
  headings: OutlineHeading[];
  /** Root children before the first heading below the title (the summary's place). */
  intro: RootContent[];
}

export function buildOutline(tree: Root): Outline {
  const children = tree.children;
  const headings: OutlineHeading[] = [];
  children.forEach((node, index) => {
    if (node.type !== 'heading') return;
    const content: RootContent[] = [];
    for (let i = index + 1; i < children.length; i++) {
      const next = children[i]!;
      if (next.type === 'heading' && next.depth <= node.depth) break;
      content.push(next);
    }
    headings.push({
      depth: node.depth,
      text: mdastToString(node).trim(),
      start: node.position?.start.offset ?? 0,
      end: node.position?.end.offset ?? 0,
      content,
    });
  });
  const title = headings.find((h) => h.depth === 1);
  const titleIndex = children.findIndex((n): n is Heading => n.type === 'heading' && n.depth === 1);
  const intro: RootContent[] = [];
  for (let i = titleIndex + 1; i < children.length; i++) {
    const node = children[i]!;
    if (node.type === 'heading') break;
    intro.push(node);
  }
  return { title, headings, intro };
}

/** Where a document-level finding points: the title heading, else the start of the text. */
export function documentAnchor(outline: Outline | undefined): { from: number; to: number } {
  const title = outline?.title;
  return title ? { from: title.start, to: title.end } : { from: 0, to: 0 };
}
