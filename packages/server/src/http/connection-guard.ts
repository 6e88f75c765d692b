/**
 * Guards the raw HTTP server against connections that cost a socket without ever becoming a
 * request, and against one address holding too many:
 * - a new connection must send a complete request head, and a WebSocket upgrade must be
 *   answered, within `upgradeTimeoutMs`; otherwise the socket is destroyed. Node's own
 *   headersTimeout never fires for a socket that sends nothing at all (it only watches requests
 *   that have begun), and checks the others every 30 s;
 * - at most `maxConnectionsPerIp` TCP connections per remote address: more are destroyed at once
 *   (their request has not been read, so there is nothing to answer). Trusted proxies are exempt:
 *   they carry everyone's connections;
 * - at most `maxUpgradesPerIp` WebSockets (being upgraded or open) per client address, which is
 *   X-Forwarded-For behind trusted proxies: the caller refuses the rest with 429.
 * A cap of 0 means no cap.
 */
import type { IncomingMessage, Server } from 'node:http';
import type { Socket } from 'node:net';
import type { Duplex } from 'node:stream';
import { clientAddress, type TrustProxy } from './client-address.js';

export type ConnectionRefusal = 'head_timeout' | 'too_many_connections' | 'too_many_upgrades';

export interface ConnectionGuardOptions {
  upgradeTimeoutMs: number;
  maxConnectionsPerIp: number;
  maxUpgradesPerIp: number;
  trust: TrustProxy;
  onRefused(reason: ConnectionRefusal, address: string): void;
}

export interface ConnectionGuard {
  /**
   * Counts a WebSocket upgrade against its client address until its socket closes. False when the
   * address has too many already (nothing is counted; the caller refuses the upgrade).
   */
  admitUpgrade(req: IncomingMessage, socket: Duplex): boolean;
  /** The upgrade on this socket was answered (accepted or refused): its deadline is lifted. */
  upgradeAnswered(socket: Duplex): void;
}

/** Open things per address. */
class Tally {
  readonly #counts = new Map<string, number>();

  /** Counts one for `address` until `socket` closes; false (nothing counted) at `max`. */
  take(address: string, max: number, socket: Duplex): boolean {
    const count = this.#counts.get(address) ?? 0;
    if (max > 0 && count >= max) return false;
    this.#counts.set(address, count + 1);
    socket.once('close', () => {
      const left = (this.#counts.get(address) ?? 1) - 1;
      if (left <= 0) this.#counts.delete(address);
      else this.#counts.set(address, left);
    });
    return true;
  }
}

export function guardConnections(server: Server, options: ConnectionGuardOptions): ConnectionGuard {
  const deadlines = new WeakMap<Duplex, NodeJS.Timeout>();
  const connections = new Tally();
  const upgrades = new Tally();

  const lift = (socket: Duplex): void => {
    clearTimeout(deadlines.get(socket));
    deadlines.delete(socket);
  };

  server.on('connection', (socket: Socket) => {
    const address = socket.remoteAddress ?? '';
    if (options.maxConnectionsPerIp > 0 && !options.trust(address, 0)) {
      if (!connections.take(address, options.maxConnectionsPerIp, socket)) {
        options.onRefused('too_many_connections', address);
        socket.destroy();
        return;
      }
    }
    const deadline = setTimeout(() => {
      deadlines.delete(socket);
      options.onRefused('head_timeout', address);
      socket.destroy();
    }, options.upgradeTimeoutMs);
    deadline.unref();
    deadlines.set(socket, deadline);
    socket.once('close', () => lift(socket));
  });

  // A complete request head: the rest is Node's (requestTimeout, keepAliveTimeout).
  server.on('request', (req: IncomingMessage) => lift(req.socket));

  return {
    admitUpgrade(req, socket) {
      if (options.maxUpgradesPerIp === 0) return true;
      const address = clientAddress(req, options.trust);
      if (upgrades.take(address, options.maxUpgradesPerIp, socket)) return true;
      options.onRefused('too_many_upgrades', address);
      return false;
    },
    upgradeAnswered: lift,
  };
}
