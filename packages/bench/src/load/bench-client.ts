/**
 * One simulated client on a raw WebSocket, speaking the protocol's own messages. Roles combine:
 *
 * - sender (light editor): holds no document. It learns the latest version from the last
 *   `"version":` in each raw frame (a byte search, no decoding) and sends full-form changes with
 *   that baseVersion, inserting a few characters at a random position within the document's
 *   initial length. Editors only insert, so the document only grows and such a position is valid
 *   against every version; the server still has to transform each change over everything
 *   committed since its base and commit it. While it has changes awaiting their answer it counts
 *   the `"ack":true` in each frame (one byte search). A refusal (conflict.detected, system.error)
 *   is a message to this session alone, which the server never puts in a room broadcast frame,
 *   so it leads its frame: only frames that start with one are decoded. Nothing else is scanned:
 *   searching every frame of a 1,000-editor room for error keys cost the generator a third of its
 *   core. (A refusal missed this way would show as a change never acked and never delivered.)
 * - observer: times every change it receives: it finds the changeIds in the frame with one regex
 *   (on a latin1 view; ids are ASCII) and looks up their send time in the shared ledger.
 * - full: decodes everything, applies every broadcast to its own TextDocument in version order
 *   (reporting gaps), and at the end compares its text with the server's (sync.request).
 */
import { type Op, TextDocument } from '@jd-collab/ot';
import WebSocket from 'ws';
import { CHANGE_ID_PREFIX, type ChangeLedger, changeIdOf, clock } from './ledger.js';

export interface ClientRole {
  send: boolean;
  observe: boolean;
  full: boolean;
}

export interface ConnectOptions {
  wsUrl: string;
  documentId: string;
  token: string;
  /** Offer permessage-deflate (browsers do); off by default to keep the generator light. */
  deflate?: boolean;
  localAddress?: string;
}

const VERSION_KEY = Buffer.from('"version":');
const ACK_KEY = Buffer.from('"ack":true');
const TYPE_KEY = Buffer.from('{"type":"');
const REFUSAL_STARTS = ['{"type":"conflict.detected"', '{"type":"system.error"'].flatMap((k) => [
  Buffer.from(k),
  Buffer.from(`[${k}`),
]);
const CHANGE_TYPE_KEY = Buffer.from('{"type":"document.change"');
const ERROR_KEYS = [Buffer.from('"system.error"'), Buffer.from('"conflict.detected"')];
const OPEN_KEY = Buffer.from('"document.open"');
const CHANGE_ID_PATTERN = new RegExp(`"changeId":"${CHANGE_ID_PREFIX}([0-9a-z]+)"`, 'g');

interface CommittedEntry {
  version: number;
  op: Op;
}

interface Envelope {
  type: string;
  payload: Record<string, unknown>;
}

/**
 * What every load client counts about its changes, and the promise of its document.open. Callers
 * await `opened`; a rejection nobody awaits yet must not crash the process.
 */
export abstract class LoadClientBase implements SenderTally {
  /** Latest document version seen in any frame. */
  version = 0;
  sent = 0;
  acks = 0;
  errors = 0;
  firstError: string | null = null;
  unexpectedClose: number | null = null;
  /** Told of every change of this sender the server refused (conflict.detected, system.error). */
  onRefused: (index: number) => void = () => undefined;
  /** Sender: changes refused so far. */
  refusedCount = 0;
  readonly opened: Promise<void>;
  protected resolveOpen!: () => void;
  protected rejectOpen!: (error: Error) => void;

  constructor(
    readonly id: number,
    readonly doc: number,
  ) {
    this.opened = new Promise((resolve, reject) => {
      this.resolveOpen = resolve;
      this.rejectOpen = reject;
    });
    this.opened.catch(() => undefined);
  }
}

export class BenchClient extends LoadClientBase {
  readonly ws: WebSocket;
  /** full role: the replica and its own version (only moved by applied broadcasts). */
  replica: TextDocument | null = null;
  replicaVersion = 0;
  gaps = 0;
  private isOpen = false;
  private syncWaiter: ((payload: { version: number; content: string }) => void) | null = null;

  constructor(
    id: number,
    doc: number,
    readonly role: ClientRole,
    private readonly ledger: ChangeLedger | null,
    options: ConnectOptions,
  ) {
    super(id, doc);
    this.ws = new WebSocket(
      `${options.wsUrl}/ws/document/${options.documentId}`,
      ['jd-collab.v1', `jd-collab.auth.${options.token}`],
      {
        perMessageDeflate: options.deflate ?? false,
        skipUTF8Validation: true,
        ...(options.localAddress ? { localAddress: options.localAddress } : {}),
      },
    );
    this.ws.on('message', (data: Buffer, isBinary) => {
      if (!isBinary) this.onFrame(data, clock());
    });
    this.ws.on('unexpected-response', (_req, res) => {
      this.rejectOpen(new Error(`upgrade refused: HTTP ${res.statusCode}`));
      res.resume();
    });
    this.ws.on('error', (error) => this.rejectOpen(error));
    this.ws.on('close', (code) => {
      if (code !== 1000 && code !== 1005) this.unexpectedClose = code;
      this.rejectOpen(new Error(`closed with ${code} before document.open`));
    });
  }

  /** Sends one light change (full form) inserting `text` at `position` on the latest seen version. */
  sendChange(index: number, position: number, text: string): void {
    this.ws.send(lightChange(index, this.version, position, text));
    this.sent++;
  }

  /** Sends a full-form change with an arbitrary op and id (document setup). */
  sendOp(changeId: string, baseVersion: number, op: Op): void {
    this.ws.send(JSON.stringify({ type: 'document.change', payload: { changeId, baseVersion, op } }));
    this.sent++;
  }

  /** Asks for the full current content (sync.request without sinceVersion). */
  requestContent(timeoutMs = 10_000): Promise<{ version: number; content: string }> {
    if (!this.role.full) throw new Error('requestContent needs a full client');
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error('sync.response timed out')), timeoutMs);
      this.syncWaiter = (payload) => {
        clearTimeout(timer);
        resolve(payload);
      };
      this.ws.send(JSON.stringify({ type: 'sync.request', payload: {} }));
    });
  }

  close(): void {
    this.ws.terminate();
  }

  private onFrame(data: Buffer, now: number): void {
    const version = lastVersionIn(data);
    if (version > this.version) this.version = version;
    if (!this.isOpen && data.indexOf(OPEN_KEY) >= 0) {
      this.isOpen = true;
      if (!this.role.full) this.resolveOpen();
    }
    if (this.role.observe || this.role.full) {
      for (const key of ERROR_KEYS) {
        if (data.indexOf(key) >= 0) {
          this.errors++;
          this.firstError ??= data.toString('utf8').slice(0, 500);
        }
      }
    }
    if (this.role.observe && this.ledger) {
      const text = data.toString('latin1');
      CHANGE_ID_PATTERN.lastIndex = 0;
      for (let m = CHANGE_ID_PATTERN.exec(text); m !== null; m = CHANGE_ID_PATTERN.exec(text)) {
        const index = Number.parseInt(m[1]!, 36);
        if (this.ledger.senderOfChange(index) === this.id) this.answered(data, m.index, index);
        else this.ledger.received(index, now);
      }
    } else if (this.role.send && this.sent > this.acks + this.refusedCount) {
      this.acks += acksIn(data);
      if (startsWithRefusal(data)) tallyRefusals(this, data, this.ledger);
    }
    if (this.role.full) this.applyFrame(data);
  }

  private applyChange({ version, op }: CommittedEntry): void {
    if (!this.replica) return;
    if (version !== this.replicaVersion + 1) {
      this.gaps++;
      return;
    }
    this.replica.apply(op);
    this.replicaVersion = version;
  }

  /** Own change `index` named at byte `at` (observer regex): an ack (document.change) or a refusal. */
  private answered(data: Buffer, at: number, index: number): void {
    const type = data.lastIndexOf(TYPE_KEY, at);
    if (type >= 0 && data.subarray(type, type + CHANGE_TYPE_KEY.length).equals(CHANGE_TYPE_KEY)) this.acks++;
    else {
      this.refusedCount++;
      this.onRefused(index);
    }
  }

  private applyFrame(data: Buffer): void {
    const parsed = JSON.parse(data.toString('utf8')) as Envelope | Envelope[];
    for (const message of Array.isArray(parsed) ? parsed : [parsed]) {
      const { type, payload } = message;
      if (type === 'document.open') {
        this.replica = new TextDocument(payload.content as string);
        this.replicaVersion = payload.version as number;
        this.resolveOpen();
      } else if (type === 'document.change' && payload.ack !== true) {
        this.applyChange(payload as unknown as CommittedEntry);
      } else if (type === 'document.changes') {
        for (const change of payload.changes as CommittedEntry[]) this.applyChange(change);
      } else if (type === 'sync.response' && this.syncWaiter && typeof payload.content === 'string') {
        const waiter = this.syncWaiter;
        this.syncWaiter = null;
        waiter({ version: payload.version as number, content: payload.content });
      }
    }
  }
}

/** What a sending client tallies about the answers to its changes. */
export interface SenderTally {
  readonly id: number;
  acks: number;
  errors: number;
  firstError: string | null;
  refusedCount: number;
  onRefused: (index: number) => void;
}

/** The text of a light change (full form): insert `text` at `position` on `baseVersion`. */
export function lightChange(index: number, baseVersion: number, position: number, text: string): string {
  const op = position === 0 ? `[${JSON.stringify(text)}]` : `[${position},${JSON.stringify(text)}]`;
  return `{"type":"document.change","payload":{"changeId":"${changeIdOf(index)}","baseVersion":${baseVersion},"op":${op}}}`;
}

/** The latest document version a frame names (its last `"version":`), or -1. */
export function lastVersionIn(data: Buffer): number {
  const at = data.lastIndexOf(VERSION_KEY);
  return at < 0 ? -1 : readInt(data, at + VERSION_KEY.length);
}

/** Acks in a frame: `"ack":true` is only ever in an ack, and acks go to their author alone. */
export function acksIn(data: Buffer): number {
  let acks = 0;
  for (let i = data.indexOf(ACK_KEY); i >= 0; i = data.indexOf(ACK_KEY, i + ACK_KEY.length)) acks++;
  return acks;
}

/** Decodes a frame of messages to this session alone and tallies the refusals of own changes. */
export function tallyRefusals(sender: SenderTally, data: Buffer, ledger: ChangeLedger | null): void {
  const parsed = JSON.parse(data.toString('utf8')) as Envelope | Envelope[];
  for (const { type, payload } of Array.isArray(parsed) ? parsed : [parsed]) {
    if (type !== 'conflict.detected' && type !== 'system.error') continue;
    sender.errors++;
    sender.firstError ??= JSON.stringify(payload).slice(0, 500);
    const index = changeIndexOf(payload.changeId);
    if (index !== null && ledger?.senderOfChange(index) === sender.id) {
      sender.refusedCount++;
      sender.onRefused(index);
    }
  }
}

/** A refusal (a message to this session alone, never in a broadcast frame) leads its frame. */
export function startsWithRefusal(data: Buffer): boolean {
  return REFUSAL_STARTS.some(
    (key) => data.length >= key.length && data.compare(key, 0, key.length, 0, key.length) === 0,
  );
}

function changeIndexOf(changeId: unknown): number | null {
  if (typeof changeId !== 'string' || !changeId.startsWith(CHANGE_ID_PREFIX)) return null;
  const index = Number.parseInt(changeId.slice(CHANGE_ID_PREFIX.length), 36);
  return Number.isInteger(index) ? index : null;
}

function readInt(data: Buffer, from: number): number {
  let value = 0;
  for (let i = from; i < data.length; i++) {
    const c = data[i]!;
    if (c < 48 || c > 57) break;
    value = value * 10 + (c - 48);
  }
  return value;
}
