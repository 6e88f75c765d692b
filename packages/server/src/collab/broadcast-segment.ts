/**
 * A run of messages broadcast to a whole room, shared by the outboxes of every session that was
 * in the room when it started. Each message is serialised once; the frame is built once, as a
 * Buffer, and the same Buffer is written to every recipient, so a broadcast to N sessions costs N
 * socket writes and no per-recipient string work.
 *
 * Committed changes also carry their compact entry: two or more in a row go out as one
 * `document.changes` message (one envelope for the run instead of one per change: about a third
 * of the bytes for every recipient).
 *
 * A message can leave out one session (its sender) or be replaced for it (a committed change is
 * an ack for its author): only those sessions get a frame of their own.
 *
 * Once a frame was built the segment is sealed: nothing more is added (the room starts a new one),
 * so every recipient gets the same bytes.
 */
import { encodeChangesBatch } from './wire.js';

/** What the excluded session gets instead of a message: its own version (an ack), or nothing. */
type Replacement = string | null;

interface Item {
  json: string;
  /** A committed change: its `document.changes` entry and version. */
  change: { entry: string; version: number } | null;
}

export class BroadcastSegment {
  private readonly items: Item[] = [];
  /** Per excluded session, message index -> replacement. Keyed by the session object. */
  private readonly excluded = new Map<object, Map<number, Replacement>>();
  private shared: Buffer | null = null;
  private isSealed = false;
  /** Highest document version a message of this segment tells its recipients about. */
  version = 0;

  /**
   * @param compress whether recipients that negotiated permessage-deflate get it compressed. ws
   *   compresses every send on its own, so a frame shared by many would be compressed once per
   *   recipient: RoomFanout turns it off for large rooms (see there).
   */
  constructor(readonly compress = true) {}

  get sealed(): boolean {
    return this.isSealed;
  }

  /** No more messages: the room starts a new segment (a session joined, or a frame was built). */
  seal(): void {
    this.isSealed = true;
  }

  /**
   * @param change for a committed change: its entry in a `document.changes` batch
   */
  add(
    json: string,
    version: number | undefined,
    except?: object,
    replacement: Replacement = null,
    change?: { entry: string; version: number },
  ): void {
    if (this.isSealed) throw new Error('BroadcastSegment: add after seal');
    if (except !== undefined) {
      let own = this.excluded.get(except);
      if (!own) {
        own = new Map();
        this.excluded.set(except, own);
      }
      own.set(this.items.length, replacement);
    }
    this.items.push({ json, change: change ?? null });
    if (version !== undefined && version > this.version) this.version = version;
  }

  /** The frame for one recipient: the shared Buffer, a string of its own, or null (nothing for it). */
  frameFor(recipient: object): Buffer | string | null {
    this.isSealed = true;
    const own = this.excluded.get(recipient);
    if (!own) {
      this.shared ??= Buffer.from(renderFrame(this.items));
      return this.shared;
    }
    const items: Item[] = [];
    for (let i = 0; i < this.items.length; i++) {
      const replaced = own.get(i);
      if (replaced === undefined) items.push(this.items[i]!);
      else if (replaced !== null) items.push({ json: replaced, change: null });
    }
    return items.length === 0 ? null : renderFrame(items);
  }
}

/** The messages of a frame, with each run of two or more changes as one `document.changes`. */
function renderFrame(items: readonly Item[]): string {
  const messages: string[] = [];
  for (let i = 0; i < items.length; ) {
    let end = i;
    while (end < items.length && items[end]!.change !== null) end++;
    if (end - i >= 2) {
      const run = items.slice(i, end).map((item) => item.change!);
      messages.push(
        encodeChangesBatch(
          run.map((c) => c.entry),
          run.at(-1)!.version,
        ),
      );
      i = end;
    } else {
      messages.push(items[i]!.json);
      i++;
    }
  }
  return joinFrame(messages);
}

/** One message as itself, several as a JSON array (the protocol accepts both). */
export function joinFrame(messages: readonly string[]): string {
  return messages.length === 1 ? messages[0]! : `[${messages.join(',')}]`;
}
