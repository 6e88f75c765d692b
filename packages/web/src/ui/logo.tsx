/** The product mark: a page with lines and a presence dot. Decorative; the text says the name. */
export function Logo({ compact = false }: { compact?: boolean }) {
  return (
    <span className={compact ? 'logo logo-compact' : 'logo'}>
      <svg viewBox="0 0 32 32" width="28" height="28" aria-hidden="true" focusable="false">
        <rect width="32" height="32" rx="8" fill="#2f5d50" />
        <path d="M9 9h14M9 14h14M9 19h9" stroke="#fff" strokeWidth="2.5" strokeLinecap="round" />
        <circle cx="23" cy="22" r="3.5" fill="#f2b544" />
      </svg>
      <span className="logo-text">JD Collab</span>
    </span>
  );
}
