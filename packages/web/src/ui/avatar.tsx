/** A person as a colored circle with initials; the accessible name says who and whether active. */
import { initials } from '@jd-collab/client/react';

export interface AvatarProps {
  name: string;
  color: string;
  status?: 'active' | 'idle';
  size?: 'small' | 'medium';
  /** Extra words for the tooltip and label, e.g. "(you)". */
  note?: string;
}

export function Avatar({ name, color, status = 'active', size = 'medium', note }: AvatarProps) {
  const label = `${name}${note ? ` ${note}` : ''}, ${status}`;
  return (
    <span
      className={`avatar avatar-${size}`}
      data-status={status}
      style={{ backgroundColor: color }}
      title={label}
      role="img"
      aria-label={label}
    >
      {initials(name)}
    </span>
  );
}

export interface AvatarStackProps {
  people: readonly { key: string; name: string; color: string; status: 'active' | 'idle'; note?: string }[];
  max?: number;
  size?: 'small' | 'medium';
  label: string;
}

export function AvatarStack({ people, max = 4, size = 'medium', label }: AvatarStackProps) {
  const shown = people.slice(0, max);
  const hidden = people.length - shown.length;
  return (
    <ul className="avatar-stack" aria-label={label}>
      {shown.map((p) => (
        <li key={p.key}>
          <Avatar
            name={p.name}
            color={p.color}
            status={p.status}
            size={size}
            {...(p.note ? { note: p.note } : {})}
          />
        </li>
      ))}
      {hidden > 0 && (
        <li>
          <span className={`avatar avatar-${size} avatar-more`} role="img" aria-label={`and ${hidden} more`}>
            +{hidden}
          </span>
        </li>
      )}
    </ul>
  );
}
