/**
 * The prose as sentences of words with their UTF-16 offsets, read once per tree from the nlcst
 * that remark-retext built (headings, code and HTML are already left out there).
 */
import type { Nodes, Root, Sentence } from 'nlcst';
import { toString as nlcstToString } from 'nlcst-to-string';

export interface WordToken {
  /** As written (typographic apostrophes made straight). */
  text: string;
  lower: string;
  start: number;
  end: number;
}

export interface ProseSentence {
  words: WordToken[];
  start: number;
  end: number;
}

const cache = new WeakMap<Root, ProseSentence[]>();
const sentenceCache = new WeakMap<Root, Sentence[]>();

/**
 * Every SentenceNode in document order. Sentences sit a few levels down and hold no sentences, so
 * this walk stops at them (unist-util-visit would also walk every word, a third of the run time).
 */
export function sentenceNodes(tree: Root): Sentence[] {
  const cached = sentenceCache.get(tree);
  if (cached) return cached;
  const sentences: Sentence[] = [];
  const walk = (node: Nodes) => {
    if (node.type === 'SentenceNode') sentences.push(node);
    else if ('children' in node) for (const child of node.children) walk(child);
  };
  walk(tree);
  sentenceCache.set(tree, sentences);
  return sentences;
}

export function proseSentences(tree: Root): ProseSentence[] {
  const cached = cache.get(tree);
  if (cached) return cached;
  const sentences: ProseSentence[] = [];
  for (const sentence of sentenceNodes(tree)) {
    const words: WordToken[] = [];
    for (const child of sentence.children) {
      if (child.type !== 'WordNode' || !child.position) continue;
      const text = nlcstToString(child).replace(/[\u2018\u2019]/g, "'");
      words.push({
        text,
        lower: text.toLowerCase(),
        start: child.position.start.offset ?? 0,
        end: child.position.end.offset ?? 0,
      });
    }
    if (words.length > 0 && sentence.position) {
      sentences.push({
        words,
        start: sentence.position.start.offset ?? 0,
        end: sentence.position.end.offset ?? 0,
      });
    }
  }
  cache.set(tree, sentences);
  return sentences;
}
