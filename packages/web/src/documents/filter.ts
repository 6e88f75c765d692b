/** Search and status filter of the document list (pure, so the page stays a view). */
import type { DocumentStatus, DocumentSummary } from '../api.js';

export type StatusFilter = DocumentStatus | 'all';

/** Case- and accent-insensitive: "zoe" finds "Zoë", "ingenieria" finds "Ingeniería". */
function fold(text: string): string {
  return text.normalize('NFD').replace(/\p{M}/gu, '').toLocaleLowerCase();
}

export function filterDocuments(
  documents: readonly DocumentSummary[],
  query: string,
  status: StatusFilter,
): DocumentSummary[] {
  const words = fold(query).split(/\s+/).filter(Boolean);
  return documents.filter((d) => {
    if (status !== 'all' && d.status !== status) return false;
    const haystack = fold(`${d.title} ${d.department} ${d.updatedByName ?? ''}`);
    return words.every((w) => haystack.includes(w));
  });
}

export function countByStatus(documents: readonly DocumentSummary[]): Record<StatusFilter, number> {
  const counts: Record<StatusFilter, number> = { all: documents.length, draft: 0, review: 0, published: 0 };
  for (const d of documents) counts[d.status]++;
  return counts;
}
