/**
 * A light editor on a raw TCP socket: the same protocol messages and the same bookkeeping as a
 * BenchClient with only the sender role (see bench-client.ts), without ws. Past ~1,000 editors on
 * one document the generator's core went into ws's per-message work (a stream write, a frame
 * parser, a Buffer per message) for ~25,000 frames a second it only scans for a version and its
 * acks; here every socket reads into one shared buffer and frames are scanned where they lie.
 *
 * The wire is real WebSocket all the same: an HTTP/1.1 upgrade with the protocol's subprotocols,
 * masked client frames, pongs to the server's pings, a close handshake. No permessage-deflate
 * (browser-like runs, `--deflate`, use ws clients throughout).
 */
import { createHash, randomBytes } from 'node:crypto';
import net from 'node:net';
import {
  acksIn,
  type ClientRole,
  type ConnectOptions,
  LoadClientBase,
  lastVersionIn,
  lightChange,
  startsWithRefusal,
  tallyRefusals,
} from './bench-client.js';
import { clientFrame, FrameReader } from './frame-reader.js';
import type { ChangeLedger } from './ledger.js';

const OPCODE = { text: 1, close: 8, ping: 9, pong: 10 } as const;
const WS_GUID = '258EAFA5-E914-47DA-95CA-C5AB0DC85B11';
const OPEN_KEY = Buffer.from('"document.open"');

/** Every light editor reads into this one buffer: reads are synchronous, so they never overlap. */
const READ_BUFFER = Buffer.allocUnsafe(256 * 1024);

export class LightEditor extends LoadClientBase {
  readonly role: ClientRole = { send: true, observe: false, full: false };
  private readonly socket: net.Socket;
  private readonly frames = new FrameReader((opcode, payload) => this.onFrame(opcode, payload));
  /** The HTTP response to the upgrade, until its blank line. */
  private response: string | null = '';
  private readonly accept: string;
  private closing = false;
  private isOpen = false;

  constructor(
    id: number,
    doc: number,
    private readonly ledger: ChangeLedger,
    options: ConnectOptions,
  ) {
    super(id, doc);
    const url = new URL(`${options.wsUrl}/ws/document/${options.documentId}`);
    const key = randomBytes(16).toString('base64');
    this.accept = createHash('sha1')
      .update(key + WS_GUID)
      .digest('base64');
    this.socket = net.connect({
      host: url.hostname,
      port: Number(url.port),
      ...(options.localAddress ? { localAddress: options.localAddress } : {}),
      onread: {
        buffer: READ_BUFFER,
        callback: (bytes: number, buffer: Uint8Array) => {
          this.onBytes(Buffer.from(buffer.buffer, buffer.byteOffset, bytes));
          return true;
        },
      },
    });
    this.socket.setNoDelay(true);
    this.socket.on('connect', () => {
      this.socket.write(
        `GET ${url.pathname} HTTP/1.1\r\nHost: ${url.host}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n` +
          `Sec-WebSocket-Key: ${key}\r\nSec-WebSocket-Version: 13\r\n` +
          `Sec-WebSocket-Protocol: jd-collab.v1, jd-collab.auth.${options.token}\r\n\r\n`,
      );
    });
    this.socket.on('error', (error) => this.rejectOpen(error));
    this.socket.on('close', () => {
      if (!this.closing) this.unexpectedClose ??= 1006;
      this.rejectOpen(new Error('connection closed before document.open'));
    });
  }

  /** Sends one light change (full form) inserting `text` at `position` on the latest seen version. */
  sendChange(index: number, position: number, text: string): void {
    this.send(OPCODE.text, Buffer.from(lightChange(index, this.version, position, text)));
    this.sent++;
  }

  close(): void {
    this.closing = true;
    this.socket.destroy();
  }

  private send(opcode: number, payload: Buffer): void {
    if (!this.socket.destroyed) this.socket.write(clientFrame(opcode, payload, randomBytes(4)));
  }

  private onBytes(bytes: Buffer): void {
    try {
      if (this.response === null) {
        this.frames.feed(bytes);
        return;
      }
      // The upgrade's answer comes first (a few hundred bytes); frames may follow in the same read.
      this.response += bytes.toString('latin1');
      const end = this.response.indexOf('\r\n\r\n');
      if (end < 0) return;
      const head = this.response.slice(0, end);
      const rest = Buffer.from(this.response.slice(end + 4), 'latin1');
      this.response = null;
      this.checkUpgrade(head);
      if (rest.length > 0) this.frames.feed(rest);
    } catch (error) {
      this.rejectOpen(error as Error);
      this.errors++;
      this.firstError ??= (error as Error).message;
      this.close();
    }
  }

  private checkUpgrade(head: string): void {
    const status = /^HTTP\/1\.1 (\d{3})/.exec(head)?.[1];
    if (status !== '101') throw new Error(`upgrade refused: HTTP ${status ?? '?'}`);
    const accept = /\r\nsec-websocket-accept: *([^\r]+)/i.exec(head)?.[1];
    if (accept !== this.accept) throw new Error('upgrade answered with a wrong Sec-WebSocket-Accept');
  }

  private onFrame(opcode: number, data: Buffer): void {
    if (opcode === OPCODE.ping) {
      this.send(OPCODE.pong, Buffer.from(data));
      return;
    }
    if (opcode === OPCODE.close) {
      const code = data.length >= 2 ? data.readUInt16BE(0) : 1005;
      if (code !== 1000 && code !== 1005) this.unexpectedClose = code;
      this.closing = true;
      this.send(OPCODE.close, Buffer.from(data.subarray(0, 2)));
      this.socket.end();
      return;
    }
    if (opcode !== OPCODE.text) return;
    const version = lastVersionIn(data);
    if (version > this.version) this.version = version;
    if (!this.isOpen && data.indexOf(OPEN_KEY) >= 0) {
      this.isOpen = true;
      this.resolveOpen();
    }
    if (this.sent > this.acks + this.refusedCount) {
      this.acks += acksIn(data);
      if (startsWithRefusal(data)) tallyRefusals(this, data, this.ledger);
    }
  }
}
