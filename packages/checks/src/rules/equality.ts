/**
 * retext-equality over the whole prose at once. The package searches each paragraph separately and
 * rebuilds its index of ~1,500 phrases for every one; a job description is mostly one-line list
 * items, each its own paragraph, so that cost 20-30 ms per 1,000 words. Handing it one paragraph
 * that holds every sentence gives the same matches (a phrase never spans two sentences) for one
 * index build. The tree itself is not changed.
 */
import type { Paragraph, Root } from 'nlcst';
import retextEquality from 'retext-equality';
import type { VFile } from 'vfile';
import { sentenceNodes } from '../text/prose.js';

type Transformer = (tree: Root, file: VFile) => void;
/**
 * Phrases left out: the "condescending words" of educational writing (css-tricks.com), which in a
 * job description are plain description ("simple screens", "explain clearly"), and "master", which
 * there nearly always means a master's degree.
 */
export const EQUALITY_IGNORED = [
  'basically',
  'clearly',
  'easy',
  'easily',
  'everyone knows',
  'just',
  'obvious',
  'obviously',
  'of course',
  'simple',
  'simply',
  'master',
  'masters',
];
const equality = (retextEquality as unknown as (options?: object) => Transformer)({
  ignore: EQUALITY_IGNORED,
});

export default function equalityOnce() {
  return (tree: Root, file: VFile) => {
    const paragraph: Paragraph = { type: 'ParagraphNode', children: sentenceNodes(tree) };
    equality({ type: 'RootNode', children: [paragraph] }, file);
  };
}
