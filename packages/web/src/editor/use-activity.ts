/**
 * Reports 'idle' after two minutes without keyboard or pointer input in this tab (or when the tab
 * is hidden), and 'active' on the next input, so others see who is really there.
 */
import type { CollabClient } from '@jd-collab/client';
import { PRESENCE_IDLE_AFTER_MS } from '@jd-collab/protocol';
import { useEffect } from 'react';

export function useActivity(client: CollabClient | null): void {
  useEffect(() => {
    if (client === null) return;
    let timer = 0;
    const setActivity = (status: 'active' | 'idle') => {
      try {
        client.setActivity(status);
      } catch {
        // closed client: the page is going away
      }
    };
    const active = () => {
      setActivity('active');
      window.clearTimeout(timer);
      timer = window.setTimeout(() => setActivity('idle'), PRESENCE_IDLE_AFTER_MS);
    };
    const visibility = () => (document.visibilityState === 'hidden' ? setActivity('idle') : active());
    active();
    window.addEventListener('keydown', active);
    window.addEventListener('pointerdown', active);
    document.addEventListener('visibilitychange', visibility);
    return () => {
      window.clearTimeout(timer);
      window.removeEventListener('keydown', active);
      window.removeEventListener('pointerdown', active);
      document.removeEventListener('visibilitychange', visibility);
    };
  }, [client]);
}
