/**
 * The users of one document who are connected to other nodes, as this node knows them. Two
 * sources keep it current: pub/sub messages (joined, left, status, caret moves; fast but may be
 * lost) and periodic listings of the cluster-wide PresenceRegistry (slow but authoritative: an
 * entry whose node died expires there). `reconcile` merges a listing without undoing a message
 * that arrived while the listing was on its way.
 */
import { type Op, transformPosition, transformSelection } from '@jd-collab/ot';
import { type PresenceUser, presenceUserSchema } from '@jd-collab/protocol';

interface RemoteUser {
  user: PresenceUser;
  serverId: string;
  /** When a message or listing last confirmed this user (this node's clock). */
  seenAt: number;
}

/** A registry entry as reconcile needs it. */
export interface ListedUser {
  sessionId: string;
  serverId: string;
  data: unknown;
}

export interface Reconciled {
  joined: PresenceUser[];
  left: PresenceUser[];
}

/** Keep "left" tombstones this long, so a listing taken before the leave does not revive them. */
const TOMBSTONE_MS = 60_000;

/** A PresenceUser from another node (broker or registry), or null when it is not one. */
export function parsePresenceUser(value: unknown): PresenceUser | null {
  const parsed = presenceUserSchema.safeParse(value);
  return parsed.success ? parsed.data : null;
}

export class RemotePresence {
  private readonly users = new Map<string, RemoteUser>();
  private readonly leftAt = new Map<string, number>();

  constructor(private readonly now: () => number = Date.now) {}

  list(): PresenceUser[] {
    return [...this.users.values()].map((r) => ({ ...r.user }));
  }

  has(sessionId: string): boolean {
    return this.users.has(sessionId);
  }

  /** Adds or replaces a user (a message said so). */
  upsert(serverId: string, user: PresenceUser): void {
    this.leftAt.delete(user.sessionId);
    this.users.set(user.sessionId, { user, serverId, seenAt: this.now() });
  }

  /** Removes a user (a 'left' message); returns its last state. */
  remove(sessionId: string): PresenceUser | undefined {
    const entry = this.users.get(sessionId);
    this.users.delete(sessionId);
    this.leftAt.set(sessionId, this.now());
    return entry?.user;
  }

  /** Maps every remote caret and selection through a committed op. */
  transform(op: Op): void {
    for (const { user } of this.users.values()) {
      if (user.cursor) user.cursor = { position: transformPosition(user.cursor.position, op) };
      if (user.selection) user.selection = transformSelection(user.selection, op);
    }
  }

  /**
   * Merges a registry listing started at `listedAt`. A user missing from it is gone (its node
   * stopped heartbeating) unless a message confirmed it after the listing started; a listed user
   * we do not know joined while we were not listening, unless it left after the listing started.
   */
  reconcile(listed: readonly ListedUser[], listedAt: number, ownServerId: string): Reconciled {
    const joined: PresenceUser[] = [];
    const left: PresenceUser[] = [];
    const present = new Set<string>();
    for (const entry of listed) {
      if (entry.serverId === ownServerId) continue;
      present.add(entry.sessionId);
      if (this.users.has(entry.sessionId)) continue;
      const departed = this.leftAt.get(entry.sessionId);
      if (departed !== undefined && departed >= listedAt) continue;
      const user = parsePresenceUser(entry.data);
      if (!user || user.sessionId !== entry.sessionId) continue;
      this.users.set(user.sessionId, { user, serverId: entry.serverId, seenAt: this.now() });
      joined.push({ ...user });
    }
    for (const [sessionId, entry] of this.users) {
      if (present.has(sessionId) || entry.seenAt >= listedAt) continue;
      this.users.delete(sessionId);
      left.push(entry.user);
    }
    const horizon = this.now() - TOMBSTONE_MS;
    for (const [sessionId, at] of this.leftAt) if (at < horizon) this.leftAt.delete(sessionId);
    return { joined, left };
  }
}
