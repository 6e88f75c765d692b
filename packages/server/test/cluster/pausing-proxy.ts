/**
 * A TCP proxy that can stall without losing a byte: while stalled it accepts connections and
 * keeps every one open but forwards nothing either way (what arrives waits in the socket
 * buffers), like a database host behind a congested or black-holing network: nothing is refused
 * or reset, so only a timeout notices. `resume()` forwards everything that waited, so the
 * connections (a PostgreSQL session mid-query) carry on intact. (http/stalling-proxy.ts drops
 * what arrives while stalled instead: fine for a ping, fatal for a database session.)
 */
import { createServer, type Socket, connect as tcpConnect } from 'node:net';
import { freePort } from './services.js';

export interface PausingProxy {
  port: number;
  /** Stop forwarding in both directions; keep accepting and keep every connection open. */
  stall(): void;
  /** Forward again, starting with everything that waited. */
  resume(): void;
  close(): Promise<void>;
}

export async function startPausingProxy(targetPort: number, targetHost = '127.0.0.1'): Promise<PausingProxy> {
  const port = await freePort();
  const pairs = new Set<[Socket, Socket]>();
  let stalled = false;
  const link = ([client, upstream]: [Socket, Socket]): void => {
    client.pipe(upstream);
    upstream.pipe(client);
  };
  const unlink = ([client, upstream]: [Socket, Socket]): void => {
    // Unpiped and paused, a socket stops reading: bytes stay in its buffers until resume().
    client.unpipe(upstream);
    upstream.unpipe(client);
    client.pause();
    upstream.pause();
  };
  const server = createServer((client) => {
    const upstream = tcpConnect(targetPort, targetHost);
    const pair: [Socket, Socket] = [client, upstream];
    pairs.add(pair);
    for (const socket of pair) {
      socket.on('close', () => pairs.delete(pair));
      socket.on('error', () => {
        client.destroy();
        upstream.destroy();
      });
    }
    if (stalled) unlink(pair);
    else link(pair);
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => resolve());
  });
  return {
    port,
    stall: () => {
      stalled = true;
      for (const pair of pairs) unlink(pair);
    },
    resume: () => {
      stalled = false;
      for (const pair of pairs) link(pair); // pipe() resumes the paused sockets
    },
    close: async () => {
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      for (const pair of pairs) for (const socket of pair) socket.destroy();
      await closed;
    },
  };
}
