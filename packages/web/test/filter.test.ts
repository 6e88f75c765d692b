import { describe, expect, it } from 'vitest';
import type { DocumentSummary } from '../src/api.js';
import { countByStatus, filterDocuments } from '../src/documents/filter.js';
import { parseRoute } from '../src/router.js';

function doc(
  id: string,
  title: string,
  department: string,
  status: DocumentSummary['status'],
): DocumentSummary {
  return {
    id,
    title,
    department,
    status,
    version: 1,
    createdAt: 0,
    createdBy: 'u',
    updatedAt: 0,
    updatedBy: 'u',
    updatedByName: 'Zoë Martín',
    canWrite: true,
    canDelete: false,
    incarnation: 'i-1',
    posting: {},
    users: [],
  };
}

const docs = [
  doc('a', 'Senior Backend Engineer', 'Engineering', 'published'),
  doc('b', 'Ingeniera de Datos', 'Ingeniería', 'draft'),
  doc('c', 'HR Business Partner', 'People', 'review'),
];

describe('document list filter', () => {
  it('matches every word, ignoring case and accents, in title, department and editor', () => {
    expect(filterDocuments(docs, 'backend senior', 'all').map((d) => d.id)).toEqual(['a']);
    expect(filterDocuments(docs, 'INGENIERIA', 'all').map((d) => d.id)).toEqual(['b']);
    expect(filterDocuments(docs, 'zoe', 'all')).toHaveLength(3);
    expect(filterDocuments(docs, '', 'review').map((d) => d.id)).toEqual(['c']);
    expect(filterDocuments(docs, 'engineer', 'draft')).toEqual([]);
  });

  it('counts documents per status', () => {
    expect(countByStatus(docs)).toEqual({ all: 3, draft: 1, review: 1, published: 1 });
  });
});

describe('routes', () => {
  it('knows the two pages and refuses invalid document ids', () => {
    expect(parseRoute('/')).toEqual({ name: 'documents' });
    expect(parseRoute('/documents/data-analyst')).toEqual({ name: 'editor', documentId: 'data-analyst' });
    expect(parseRoute('/documents/bad%20id')).toEqual({ name: 'not-found' });
    expect(parseRoute('/elsewhere')).toEqual({ name: 'not-found' });
  });
});
