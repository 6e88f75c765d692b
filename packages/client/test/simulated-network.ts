/**
 * A deterministic in-memory network for exercising SyncState the way the real client drives it:
 * an authoritative server model, several clients, FIFO links per direction whose delivery the test
 * schedules in any interleaving, disconnects that lose what is in flight, and reconnects that resync
 * since the last known version and resend the pending change with its changeId.
 *
 * The server model mirrors the server semantics in PROTOCOL-SPEC.md: a change is transformed
 * against everything committed since its base with side 'right', a retried changeId is acked again
 * with its original version and never applied twice, acks go to the sender, broadcasts to the others.
 */
import { apply, type Op, transform } from '@jd-collab/ot';
import { type CommittedChange, type SendableChange, SyncState } from '../src/sync-state.js';

type Up = { kind: 'change'; change: SendableChange } | { kind: 'sync'; sinceVersion: number };
type Down =
  | { kind: 'ack'; changeId: string; version: number }
  | { kind: 'broadcast'; change: CommittedChange }
  | { kind: 'syncResponse'; version: number; changes: CommittedChange[] };

interface Committed {
  readonly version: number;
  readonly changeId: string;
  readonly op: Op;
  readonly author: number;
}

export class ServerModel {
  text: string;
  readonly history: Committed[] = [];
  readonly #byChangeId = new Map<string, number>();
  readonly initialText: string;

  constructor(text: string) {
    this.text = text;
    this.initialText = text;
  }

  get version(): number {
    return this.history.length;
  }

  /** Returns the version the change got (or already had). */
  submit(change: SendableChange, author: number): { version: number; fresh: boolean } {
    const known = this.#byChangeId.get(change.changeId);
    if (known !== undefined) return { version: known, fresh: false };
    if (change.baseVersion > this.version) throw new Error(`base ${change.baseVersion} is in the future`);
    let op = change.op;
    for (const committed of this.history.slice(change.baseVersion)) op = transform(op, committed.op, 'right');
    this.text = apply(this.text, op);
    const version = this.version + 1;
    this.history.push({ version, changeId: change.changeId, op, author });
    this.#byChangeId.set(change.changeId, version);
    return { version, fresh: true };
  }

  changesSince(version: number): CommittedChange[] {
    return this.history.slice(version).map(({ version, changeId, op }) => ({ version, changeId, op }));
  }
}

class Link<T> {
  readonly queue: T[] = [];
}

export class SimClient {
  readonly state: SyncState;
  connected = true;
  awaitingSync = false;
  up = new Link<Up>();
  down = new Link<Down>();
  /** Up-links of dead connections the server may still read (half-open TCP), in order. */
  readonly zombies: Link<Up>[] = [];
  #heldBroadcasts: CommittedChange[] = [];
  #inflightSent = false;
  readonly typed: string[] = [];

  constructor(
    readonly id: number,
    text: string,
    version: number,
  ) {
    let n = 0;
    this.state = new SyncState({ text, version, newChangeId: () => `c${id}-${n++}` });
  }

  edit(op: Op): void {
    this.state.applyLocal(op);
  }

  /** What the real client does whenever it may send: resend the unsent inflight, or start a new one. */
  send(): void {
    if (!this.connected || this.awaitingSync) return;
    if (this.state.inflight !== null && !this.#inflightSent) {
      this.up.queue.push({ kind: 'change', change: this.state.inflight });
      this.#inflightSent = true;
      return;
    }
    const next = this.state.takeSendable();
    if (next !== null) {
      this.up.queue.push({ kind: 'change', change: next });
      this.#inflightSent = true;
    }
  }

  /** The ack timeout fired: resend the inflight change, same changeId. */
  resend(): void {
    const inflight = this.state.inflight;
    if (this.connected && !this.awaitingSync && inflight !== null) {
      this.up.queue.push({ kind: 'change', change: inflight });
    }
  }

  disconnect(): void {
    if (!this.connected) return;
    this.connected = false;
    if (this.up.queue.length > 0) this.zombies.push(this.up);
    this.up = new Link();
    this.down = new Link();
  }

  reconnect(): void {
    if (this.connected) return;
    this.connected = true;
    this.awaitingSync = true;
    this.#inflightSent = false;
    this.#heldBroadcasts = [];
    this.up.queue.push({ kind: 'sync', sinceVersion: this.state.version });
  }

  receive(message: Down): void {
    switch (message.kind) {
      case 'ack':
        this.state.ack(message.changeId, message.version);
        if (this.state.inflight === null) this.#inflightSent = false;
        break;
      case 'broadcast':
        if (this.awaitingSync) {
          this.#heldBroadcasts.push(message.change);
          break;
        }
        this.#expectApplied(this.state.applyRemote(message.change).kind);
        if (this.state.inflight === null) this.#inflightSent = false;
        break;
      case 'syncResponse': {
        const { gap } = this.state.resync([...message.changes, ...this.#heldBroadcasts]);
        if (gap !== null) throw new Error(`gap after sync: ${JSON.stringify(gap)}`);
        this.#heldBroadcasts = [];
        this.awaitingSync = false;
        if (this.state.inflight === null) this.#inflightSent = false;
        break;
      }
    }
  }

  #expectApplied(kind: string): void {
    if (kind === 'gap') throw new Error(`client ${this.id} saw a version gap`);
  }
}

export class SimNetwork {
  readonly server: ServerModel;
  readonly clients: SimClient[];

  constructor(text: string, clientCount: number) {
    this.server = new ServerModel(text);
    this.clients = Array.from({ length: clientCount }, (_, i) => new SimClient(i, text, 0));
  }

  deliverUp(client: SimClient, link: Link<Up>, fromZombie: boolean): void {
    const message = link.queue.shift();
    if (message === undefined) return;
    if (message.kind === 'sync') {
      // Only the live connection asks for a sync; a zombie never has one queued after its change.
      if (fromZombie) return;
      client.down.queue.push({
        kind: 'syncResponse',
        version: this.server.version,
        changes: this.server.changesSince(message.sinceVersion),
      });
      return;
    }
    const { version, fresh } = this.server.submit(message.change, client.id);
    if (!fromZombie && client.connected) {
      client.down.queue.push({ kind: 'ack', changeId: message.change.changeId, version });
    }
    if (!fresh) return;
    const committed = this.server.history[version - 1]!;
    for (const other of this.clients) {
      // A zombie's commit is broadcast to the author's live session too: it is a different session.
      if (other.connected && (other !== client || fromZombie)) {
        other.down.queue.push({
          kind: 'broadcast',
          change: { version, changeId: committed.changeId, op: committed.op },
        });
      }
    }
  }

  deliverDown(client: SimClient): void {
    const message = client.down.queue.shift();
    if (message !== undefined) client.receive(message);
  }

  /** Reconnects everyone and delivers everything until nothing moves. */
  settle(): void {
    for (const client of this.clients) client.reconnect();
    for (let guard = 0; guard < 100_000; guard++) {
      let moved = false;
      for (const client of this.clients) {
        client.send();
        for (const zombie of client.zombies) {
          while (zombie.queue.length > 0) {
            this.deliverUp(client, zombie, true);
            moved = true;
          }
        }
        if (client.up.queue.length > 0) {
          this.deliverUp(client, client.up, false);
          moved = true;
        }
        if (client.down.queue.length > 0) {
          this.deliverDown(client);
          moved = true;
        }
      }
      if (!moved) return;
    }
    throw new Error('network did not settle');
  }
}
