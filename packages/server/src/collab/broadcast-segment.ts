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
 * an ack for its author): only those sessions get a frame of their own, cut from the shared one
 * (byte ranges of the shared Buffer around the replaced messages), so an author's frame costs a
 * copy of the bytes, not a new serialisation of everything in it. In a 1,000-editor room about
 * 200 authors get their own frame at every flush.
 *
 * Once a frame was built the segment is sealed: nothing more is added (the room starts a new one),
 * so every recipient gets the same bytes.
 */
import { MAX_BATCH_LENGTH, MAX_FRAME_BYTES } from '@jd-collab/protocol';
import { CHANGES_BATCH_HEAD, changesBatchTail } from './wire.js';

/**
 * A segment holds at most this many messages (a run of changes counts as one): clients refuse a
 * frame of more than MAX_BATCH_LENGTH whole, and an author's frame has up to two more messages
 * per own change in it (its ack splits a run), so 30 own changes per segment still fit.
 */
export const SEGMENT_MAX_MESSAGES = MAX_BATCH_LENGTH - 60;
/** ...and about this many bytes, far enough below the clients' MAX_FRAME_BYTES. */
export const SEGMENT_MAX_BYTES = MAX_FRAME_BYTES / 4;

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
  private rendered: Rendered | null = null;
  private isSealed = false;
  /** Highest document version a message of this segment tells its recipients about. */
  version = 0;
  /** Messages of the shared frame so far (a run of changes is one) and their size in bytes. */
  private messageCount = 0;
  private byteCount = 0;

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
    const extendsRun = change !== undefined && (this.items.at(-1)?.change ?? null) !== null;
    if (!extendsRun) this.messageCount++;
    this.byteCount += Buffer.byteLength(json);
    this.items.push({ json, change: change ?? null });
    if (version !== undefined && version > this.version) this.version = version;
  }

  /** Whether the room should start a new segment: one more message might make a frame clients refuse. */
  get full(): boolean {
    return this.messageCount >= SEGMENT_MAX_MESSAGES || this.byteCount >= SEGMENT_MAX_BYTES;
  }

  /** The frame for one recipient: the shared Buffer, one of its own, or null (nothing for it). */
  frameFor(recipient: object): Buffer | null {
    this.isSealed = true;
    this.rendered ??= render(this.items);
    const own = this.excluded.get(recipient);
    return own ? cutFrame(this.rendered, this.items, own) : this.rendered.frame;
  }
}

/** A message of the shared frame: its byte range, and the items it holds (`from` to `to` - 1). */
interface Placed {
  start: number;
  end: number;
  from: number;
  to: number;
  /** A `document.changes` run: where each entry starts, plus one past the last entry's comma. */
  entryStarts: number[] | null;
}

interface Rendered {
  frame: Buffer;
  messages: Placed[];
}

const HEAD_BYTES = Buffer.byteLength(CHANGES_BATCH_HEAD);

/** The shared frame, with each run of two or more changes as one `document.changes`. */
function render(items: readonly Item[]): Rendered {
  const groups: { from: number; to: number }[] = [];
  for (let i = 0; i < items.length; ) {
    let end = i;
    while (end < items.length && items[end]!.change !== null) end++;
    const to = end - i >= 2 ? end : i + 1;
    groups.push({ from: i, to });
    i = to;
  }
  const parts: string[] = [];
  const messages: Placed[] = [];
  let offset = groups.length > 1 ? 1 : 0;
  for (const { from, to } of groups) {
    if (messages.length > 0) offset += 1;
    let json: string;
    let entryStarts: number[] | null = null;
    if (to - from === 1) {
      json = items[from]!.json;
    } else {
      const entries = items.slice(from, to).map((item) => item.change!.entry);
      entryStarts = [];
      let at = offset + HEAD_BYTES;
      for (const entry of entries) {
        entryStarts.push(at);
        at += Buffer.byteLength(entry) + 1;
      }
      entryStarts.push(at);
      json = CHANGES_BATCH_HEAD + entries.join(',') + changesBatchTail(items[to - 1]!.change!.version);
    }
    const end = offset + Buffer.byteLength(json);
    messages.push({ start: offset, end, from, to, entryStarts });
    parts.push(json);
    offset = end;
  }
  return { frame: Buffer.from(joinFrame(parts)), messages };
}

/**
 * The frame of a session some messages leave out or replace: the shared frame's bytes, with each
 * replaced message swapped for its replacement. A replaced change inside a `document.changes` run
 * splits the run around it (the ack keeps its place in version order); a part of one change is
 * sent as that change's own message, as a lone change always is.
 */
function cutFrame(
  rendered: Rendered,
  items: readonly Item[],
  own: ReadonlyMap<number, Replacement>,
): Buffer | null {
  const { frame } = rendered;
  const messages: (Buffer | string)[][] = [];
  for (const placed of rendered.messages) {
    const { from, to, entryStarts } = placed;
    let touched = false;
    for (let i = from; i < to && !touched; i++) touched = own.has(i);
    if (!touched) {
      messages.push([frame.subarray(placed.start, placed.end)]);
      continue;
    }
    let runFrom = from;
    const closeRun = (runTo: number) => {
      if (runTo - runFrom === 1) messages.push([items[runFrom]!.json]);
      else if (runTo - runFrom > 1 && entryStarts)
        messages.push([
          CHANGES_BATCH_HEAD,
          frame.subarray(entryStarts[runFrom - from]!, entryStarts[runTo - from]! - 1),
          changesBatchTail(items[runTo - 1]!.change!.version),
        ]);
    };
    for (let i = from; i < to; i++) {
      const replaced = own.get(i);
      if (replaced === undefined) continue;
      closeRun(i);
      if (replaced !== null) messages.push([replaced]);
      runFrom = i + 1;
    }
    closeRun(to);
  }
  if (messages.length === 0) return null;
  const pieces =
    messages.length === 1
      ? messages[0]!
      : ['[', ...messages.flatMap((m, i) => (i === 0 ? m : [',', ...m])), ']'];
  return Buffer.concat(pieces.map((piece) => (typeof piece === 'string' ? Buffer.from(piece) : piece)));
}

/** One message as itself, several as a JSON array (the protocol accepts both). */
export function joinFrame(messages: readonly string[]): string {
  return messages.length === 1 ? messages[0]! : `[${messages.join(',')}]`;
}
