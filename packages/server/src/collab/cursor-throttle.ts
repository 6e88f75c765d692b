/**
 * Cursor and selection broadcasts are coalesced per session: at most one every
 * CURSOR_INTERVAL_MS, carrying the latest position. A fast-moving caret would otherwise cost a
 * message per keystroke per peer; the others only need where it is now.
 */
import type { DocumentRoom } from './document-room.js';
import type { CursorKind, Session } from './session.js';
import { encode } from './wire.js';

/** 20 updates per second per session at most. */
export const CURSOR_INTERVAL_MS = 50;

export function announceCursor(room: DocumentRoom, session: Session, kind: CursorKind): void {
  session.pendingCursor = kind;
  if (session.cursorTimer) return; // the scheduled flush will carry the latest state
  const wait = session.cursorSentAt + CURSOR_INTERVAL_MS - Date.now();
  if (wait <= 0) {
    flushCursor(room, session);
    return;
  }
  session.cursorTimer = setTimeout(() => {
    session.cursorTimer = null;
    flushCursor(room, session);
  }, wait);
}

function flushCursor(room: DocumentRoom, session: Session): void {
  const kind = session.pendingCursor;
  session.pendingCursor = null;
  const user = room.presence.get(session.id);
  if (!kind || !user || session.closed) return;
  session.cursorSentAt = Date.now();
  const who = { sessionId: user.sessionId, userId: user.userId, name: user.name, color: user.color };
  const meta = { version: room.version, userId: session.userId, sessionId: session.id };
  if (kind === 'cursor.position') {
    room.broadcast(encode(kind, { ...who, position: user.cursor?.position ?? 0 }, meta), session);
  } else {
    const selection = user.selection ?? { anchor: 0, head: 0 };
    room.broadcast(encode(kind, { ...who, anchor: selection.anchor, head: selection.head }, meta), session);
  }
  room.announce({ kind: kind === 'cursor.position' ? 'cursor' : 'selection' }, user);
}
