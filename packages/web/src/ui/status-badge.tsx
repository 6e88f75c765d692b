import type { DocumentStatus } from '../api.js';
import { STATUS_LABELS } from './format.js';

export function StatusBadge({ status }: { status: DocumentStatus }) {
  return <span className={`badge badge-${status}`}>{STATUS_LABELS[status]}</span>;
}
