/**
 * The smallest WebSocket surface the client needs, satisfied by the browser's WebSocket and by the
 * `ws` package in Node. One `SocketConnection` is one connection attempt; reconnecting makes a new one.
 */

/** Browser-compatible WebSocket instance (WHATWG API subset). */
export interface WebSocketLike {
  readonly readyState: number;
  send(data: string): void;
  close(code?: number, reason?: string): void;
  addEventListener(type: 'open', listener: () => void): void;
  addEventListener(type: 'message', listener: (event: { data: unknown }) => void): void;
  addEventListener(type: 'close', listener: (event: { code: number; reason: string }) => void): void;
  addEventListener(type: 'error', listener: (event: { message?: string; error?: unknown }) => void): void;
}

export type WebSocketConstructor = new (url: string, protocols?: string | string[]) => WebSocketLike;

const OPEN = 1;

export interface SocketClose {
  readonly code: number;
  readonly reason: string;
  /** Whether the socket had opened (a failed upgrade never does). */
  readonly wasOpen: boolean;
  /**
   * HTTP status of a refused upgrade, when the runtime tells us (Node's `ws` does; browsers hide it
   * and report a plain 1006 close).
   */
  readonly httpStatus: number | undefined;
}

export interface SocketHandlers {
  onOpen(): void;
  onFrame(text: string): void;
  onClose(close: SocketClose): void;
}

export class SocketConnection {
  readonly #socket: WebSocketLike;
  #wasOpen = false;
  #httpStatus: number | undefined;
  #closed = false;

  constructor(Ctor: WebSocketConstructor, url: string, protocols: string[], handlers: SocketHandlers) {
    this.#socket = new Ctor(url, protocols);
    this.#socket.addEventListener('open', () => {
      this.#wasOpen = true;
      if (!this.#closed) handlers.onOpen();
    });
    this.#socket.addEventListener('message', (event) => {
      if (this.#closed) return;
      // Binary frames are not part of the protocol; they are reported as a protocol error upstream.
      handlers.onFrame(typeof event.data === 'string' ? event.data : '');
    });
    this.#socket.addEventListener('error', (event) => {
      const text = event.message ?? (event.error instanceof Error ? event.error.message : '');
      const match = /Unexpected server response: (\d{3})/.exec(text);
      if (match !== null) this.#httpStatus = Number(match[1]);
    });
    this.#socket.addEventListener('close', (event) => {
      if (this.#closed) return;
      this.#closed = true;
      handlers.onClose({
        code: event.code,
        reason: event.reason,
        wasOpen: this.#wasOpen,
        httpStatus: this.#httpStatus,
      });
    });
  }

  get isOpen(): boolean {
    return !this.#closed && this.#socket.readyState === OPEN;
  }

  send(text: string): boolean {
    if (!this.isOpen) return false;
    this.#socket.send(text);
    return true;
  }

  /**
   * Closes and detaches: no more events reach the handlers, the caller has already decided what to
   * do next. (The browser only allows codes 1000 and 3000-4999 from a client.)
   */
  close(code = 1000, reason = ''): void {
    this.#closed = true;
    try {
      this.#socket.close(code, reason);
    } catch {
      // Closing a socket that is still connecting throws in some runtimes; it is abandoned anyway.
    }
  }
}

export function defaultWebSocket(): WebSocketConstructor | undefined {
  return (globalThis as { WebSocket?: WebSocketConstructor }).WebSocket;
}
