/**
 * Who is in one document, with their caret/selection. Positions are kept current by mapping them
 * through every committed change, so a newcomer's document.open shows them where they are now.
 */
import { type Op, transformPosition, transformSelection } from '@jd-collab/ot';
import { type PresenceUser, userColor } from '@jd-collab/protocol';

export type PresenceStatus = PresenceUser['status'];

export interface PresenceIdentity {
  sessionId: string;
  userId: string;
  name: string;
}

export class Presence {
  private readonly users = new Map<string, PresenceUser>();

  constructor(private readonly now: () => number = Date.now) {}

  join(who: PresenceIdentity): PresenceUser {
    const user: PresenceUser = {
      sessionId: who.sessionId,
      userId: who.userId,
      name: who.name,
      color: userColor(who.userId),
      status: 'active',
      lastActivity: this.now(),
      cursor: null,
      selection: null,
    };
    this.users.set(who.sessionId, user);
    return user;
  }

  /** Removes the session; returns its last state (for the 'left' broadcast). */
  leave(sessionId: string): PresenceUser | undefined {
    const user = this.users.get(sessionId);
    this.users.delete(sessionId);
    return user;
  }

  get(sessionId: string): PresenceUser | undefined {
    return this.users.get(sessionId);
  }

  list(): PresenceUser[] {
    return [...this.users.values()].map((u) => ({ ...u }));
  }

  get size(): number {
    return this.users.size;
  }

  /** Records activity; returns true when the status flipped from idle to active. */
  touch(sessionId: string): boolean {
    const user = this.users.get(sessionId);
    if (!user) return false;
    user.lastActivity = this.now();
    if (user.status === 'idle') {
      user.status = 'active';
      return true;
    }
    return false;
  }

  /** Returns true when the status changed. */
  setStatus(sessionId: string, status: PresenceStatus): boolean {
    const user = this.users.get(sessionId);
    if (!user || user.status === status) return false;
    user.status = status;
    if (status === 'active') user.lastActivity = this.now();
    return true;
  }

  /** A caret is a collapsed selection, so both are updated together. */
  setCursor(sessionId: string, position: number, docLength: number): PresenceUser | undefined {
    const user = this.users.get(sessionId);
    if (!user) return undefined;
    const p = Math.min(position, docLength);
    user.cursor = { position: p };
    user.selection = { anchor: p, head: p };
    user.lastActivity = this.now();
    return user;
  }

  setSelection(sessionId: string, anchor: number, head: number, docLength: number): PresenceUser | undefined {
    const user = this.users.get(sessionId);
    if (!user) return undefined;
    const a = Math.min(anchor, docLength);
    const h = Math.min(head, docLength);
    user.selection = { anchor: a, head: h };
    user.cursor = { position: h };
    user.lastActivity = this.now();
    return user;
  }

  /** Maps every caret and selection through a committed op. */
  transform(op: Op): void {
    for (const user of this.users.values()) {
      if (user.cursor) user.cursor = { position: transformPosition(user.cursor.position, op) };
      if (user.selection) user.selection = transformSelection(user.selection, op);
    }
  }
}
