/**
 * Liveness. Two separate checks:
 * - ws-level ping every intervalMs; a peer that has not answered the previous ping by the next
 *   tick is gone (network cut, sleeping laptop) and is closed with 4000, then cut.
 * - idle timeout: a session that sent no message for idleTimeoutMs is closed with 4000 (pongs
 *   are answered by the browser itself, so they do not count as activity).
 */
import { CloseCode } from '@jd-collab/protocol';

export interface Pingable {
  ping(): void;
  close(code: number, reason: string): void;
  terminate(): void;
  on(event: 'pong', listener: () => void): unknown;
}

/** Time given to a dead peer's close handshake before the socket is cut. */
const CLOSE_GRACE_MS = 1000;

export class Heartbeat<S extends Pingable> {
  private readonly alive = new Map<S, boolean>();
  private timer: NodeJS.Timeout | null = null;

  constructor(private readonly intervalMs: number) {}

  track(socket: S): void {
    this.alive.set(socket, true);
    socket.on('pong', () => {
      if (this.alive.has(socket)) this.alive.set(socket, true);
    });
    if (!this.timer) {
      this.timer = setInterval(() => this.tick(), this.intervalMs);
      this.timer.unref();
    }
  }

  untrack(socket: S): void {
    this.alive.delete(socket);
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
  }

  private tick(): void {
    for (const [socket, alive] of this.alive) {
      if (!alive) {
        this.alive.delete(socket);
        socket.close(CloseCode.HEARTBEAT_TIMEOUT, 'Heartbeat timeout');
        setTimeout(() => socket.terminate(), CLOSE_GRACE_MS).unref();
        continue;
      }
      this.alive.set(socket, false);
      try {
        socket.ping();
      } catch {
        // The socket is closing; its close handler untracks it.
      }
    }
  }
}

/** A restartable one-shot timer: touch() on every inbound message, onIdle when none came in time. */
export class IdleTimer {
  private timer: NodeJS.Timeout | null;

  constructor(timeoutMs: number, onIdle: () => void) {
    this.timer = setTimeout(onIdle, timeoutMs);
    this.timer.unref();
  }

  touch(): void {
    // refresh() re-arms the same timer object: cheaper than clear + set on every message.
    this.timer?.refresh();
  }

  stop(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
  }
}
