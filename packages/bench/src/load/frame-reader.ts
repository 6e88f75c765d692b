/**
 * Splits the bytes a server sends on a WebSocket into frames (RFC 6455 §5.2), for the generator's
 * light editors, which read their sockets without ws (see light-editor.ts). Server frames are
 * never masked; the server sends every message as one final frame.
 *
 * A frame that arrived whole is handed over as a view of the chunk it came in (valid only during
 * the callback: the chunk's memory is reused); one split over several reads is copied together.
 */
export type FrameHandler = (opcode: number, payload: Buffer) => void;

export class FrameReader {
  /** Bytes of a frame header cut by the end of a read. */
  private head: Buffer | null = null;
  /** A payload being filled over several reads. */
  private body: Buffer | null = null;
  private filled = 0;
  private bodyOpcode = 0;

  constructor(private readonly onFrame: FrameHandler) {}

  /** Feeds the next bytes read from the socket. Throws on a frame a server must not send. */
  feed(chunk: Buffer): void {
    let data = chunk;
    let at = 0;
    if (this.body) {
      const take = Math.min(this.body.length - this.filled, data.length);
      data.copy(this.body, this.filled, 0, take);
      this.filled += take;
      at = take;
      if (this.filled < this.body.length) return;
      const body = this.body;
      this.body = null;
      this.onFrame(this.bodyOpcode, body);
    }
    if (this.head) {
      data = Buffer.concat([this.head, data.subarray(at)]);
      at = 0;
      this.head = null;
    }
    while (at < data.length) {
      const header = headerAt(data, at);
      if (header === null) {
        this.head = Buffer.from(data.subarray(at));
        return;
      }
      const start = at + header.size;
      const end = start + header.length;
      if (end <= data.length) {
        this.onFrame(header.opcode, data.subarray(start, end));
        at = end;
      } else {
        this.body = Buffer.allocUnsafe(header.length);
        this.filled = data.copy(this.body, 0, start);
        this.bodyOpcode = header.opcode;
        return;
      }
    }
  }
}

/** The header at `at`, or null when the bytes end inside it. */
function headerAt(data: Buffer, at: number): { opcode: number; size: number; length: number } | null {
  if (data.length - at < 2) return null;
  const b0 = data[at]!;
  const b1 = data[at + 1]!;
  if ((b0 & 0x80) === 0) throw new Error('a fragmented frame (the server sends whole messages)');
  if ((b1 & 0x80) !== 0) throw new Error('a masked frame from the server');
  const short = b1 & 0x7f;
  if (short < 126) return { opcode: b0 & 0x0f, size: 2, length: short };
  if (short === 126) {
    return data.length - at < 4 ? null : { opcode: b0 & 0x0f, size: 4, length: data.readUInt16BE(at + 2) };
  }
  if (data.length - at < 10) return null;
  return { opcode: b0 & 0x0f, size: 10, length: Number(data.readBigUInt64BE(at + 2)) };
}

/** A final, masked client frame (clients must mask, RFC 6455 §5.3). */
export function clientFrame(opcode: number, payload: Buffer, mask: Buffer): Buffer {
  const length = payload.length;
  const size = length < 126 ? 2 : length < 65_536 ? 4 : 10;
  const frame = Buffer.allocUnsafe(size + 4 + length);
  frame[0] = 0x80 | opcode;
  if (length < 126) {
    frame[1] = 0x80 | length;
  } else if (length < 65_536) {
    frame[1] = 0x80 | 126;
    frame.writeUInt16BE(length, 2);
  } else {
    frame[1] = 0x80 | 127;
    frame.writeBigUInt64BE(BigInt(length), 2);
  }
  mask.copy(frame, size, 0, 4);
  for (let i = 0; i < length; i++) frame[size + 4 + i] = payload[i]! ^ mask[i & 3]!;
  return frame;
}
