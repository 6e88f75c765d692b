/**
 * Who else is on the document and where their cursors are. Positions are code points in the local
 * text; every op applied locally (ours or a remote one) moves them, so a remote cursor stays on the
 * same character while text changes around it.
 */
import { type Op, transformPosition, transformSelection } from '@jd-collab/ot';
import type {
  CursorBroadcastPayload,
  PresenceEventPayload,
  PresenceUser,
  SelectionBroadcastPayload,
} from '@jd-collab/protocol';

export class PresenceStore {
  #users = new Map<string, PresenceUser>();
  #selfSessionId: string | null = null;
  #others: readonly PresenceUser[] = [];

  /** Every other session on the document, in join order (a new array after each change). */
  get others(): readonly PresenceUser[] {
    return this.#others;
  }

  get(sessionId: string): PresenceUser | undefined {
    return this.#users.get(sessionId);
  }

  reset(selfSessionId: string, users: readonly PresenceUser[], textLength: number): void {
    this.#selfSessionId = selfSessionId;
    this.#users = new Map(users.map((u) => [u.sessionId, clampUser(u, textLength)]));
    this.#refresh();
  }

  clear(): void {
    this.#users.clear();
    this.#refresh();
  }

  applyEvent(payload: PresenceEventPayload, textLength: number): void {
    if (payload.event === 'left') this.#users.delete(payload.user.sessionId);
    else this.#users.set(payload.user.sessionId, clampUser(payload.user, textLength));
    this.#refresh();
  }

  /** Returns the updated user, or undefined for a session we do not know (it will join soon). */
  applyCursor(payload: CursorBroadcastPayload, now: number, textLength: number): PresenceUser | undefined {
    const position = Math.min(payload.position, textLength);
    return this.#update(payload.sessionId, (u) => ({
      ...u,
      cursor: { position },
      selection: null,
      lastActivity: now,
      status: 'active',
    }));
  }

  applySelection(
    payload: SelectionBroadcastPayload,
    now: number,
    textLength: number,
  ): PresenceUser | undefined {
    const anchor = Math.min(payload.anchor, textLength);
    const head = Math.min(payload.head, textLength);
    return this.#update(payload.sessionId, (u) => ({
      ...u,
      cursor: { position: head },
      selection: { anchor, head },
      lastActivity: now,
      status: 'active',
    }));
  }

  /** Moves every cursor and selection through an op applied to the local text. */
  transform(op: Op): void {
    if (op.length === 0 || this.#users.size === 0) return;
    for (const [id, user] of this.#users) {
      if (user.cursor === null && user.selection === null) continue;
      this.#users.set(id, {
        ...user,
        cursor: user.cursor === null ? null : { position: transformPosition(user.cursor.position, op) },
        selection: user.selection === null ? null : transformSelection(user.selection, op),
      });
    }
    this.#refresh();
  }

  #update(sessionId: string, change: (user: PresenceUser) => PresenceUser): PresenceUser | undefined {
    const user = this.#users.get(sessionId);
    if (user === undefined) return undefined;
    const next = change(user);
    this.#users.set(sessionId, next);
    this.#refresh();
    return next;
  }

  #refresh(): void {
    this.#others = [...this.#users.values()].filter((u) => u.sessionId !== this.#selfSessionId);
  }
}

/** A position from another client may refer to a slightly different text; never let it overrun ours. */
function clampUser(user: PresenceUser, length: number): PresenceUser {
  return {
    ...user,
    cursor: user.cursor === null ? null : { position: Math.min(user.cursor.position, length) },
    selection:
      user.selection === null
        ? null
        : { anchor: Math.min(user.selection.anchor, length), head: Math.min(user.selection.head, length) },
  };
}
