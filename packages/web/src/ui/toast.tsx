/**
 * A short-lived message at the bottom of the screen, with one action (Undo). Announced politely to
 * screen readers; it stays while hovered or focused, so the action can always be reached.
 */
import { useEffect, useRef, useState } from 'react';

export interface ToastMessage {
  /** Changes for every new toast, so the timer restarts. */
  id: number;
  text: string;
  action?: { label: string; run: () => void };
}

const VISIBLE_MS = 8_000;

export function Toast({ toast, onDismiss }: { toast: ToastMessage | null; onDismiss: () => void }) {
  const [held, setHeld] = useState(false);
  const dismiss = useRef(onDismiss);
  dismiss.current = onDismiss;

  useEffect(() => {
    if (toast === null || held) return;
    const timer = window.setTimeout(() => dismiss.current(), VISIBLE_MS);
    return () => window.clearTimeout(timer);
  }, [toast, held]);

  return (
    <div className="toast-region" role="status" aria-live="polite">
      {toast !== null && (
        // Held open while the pointer or the focus is in it (pointer/focus events bubble here
        // from its buttons), so its action can always be reached.
        <fieldset
          className="toast"
          key={toast.id}
          onMouseEnter={() => setHeld(true)}
          onMouseLeave={() => setHeld(false)}
          onFocus={() => setHeld(true)}
          onBlur={() => setHeld(false)}
        >
          <span>{toast.text}</span>
          {toast.action !== undefined && (
            <button
              type="button"
              className="button button-small"
              onClick={() => {
                toast.action?.run();
                onDismiss();
              }}
            >
              {toast.action.label}
            </button>
          )}
          <button type="button" className="toast-close" aria-label="Dismiss" onClick={onDismiss}>
            ×
          </button>
        </fieldset>
      )}
    </div>
  );
}
