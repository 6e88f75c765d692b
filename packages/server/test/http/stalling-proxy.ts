/**
 * A TCP proxy that can stall: while stalled it keeps every connection open and accepts new ones,
 * but forwards nothing either way, like a database host that vanished behind a firewall dropping
 * packets (nothing is refused or reset, so only a timeout notices).
 */
import { createServer, type Socket, connect as tcpConnect } from 'node:net';

export interface StallingProxy {
  port: number;
  /** Stop forwarding: bytes in either direction are swallowed until `resume()`. */
  stall(): void;
  resume(): void;
  close(): Promise<void>;
}

export async function startStallingProxy(
  targetPort: number,
  targetHost = '127.0.0.1',
): Promise<StallingProxy> {
  let stalled = false;
  const sockets = new Set<Socket>();
  const forward = (from: Socket, to: Socket): void => {
    from.on('data', (chunk: Buffer) => {
      if (!stalled) to.write(chunk);
    });
  };
  const server = createServer((client) => {
    const upstream = tcpConnect(targetPort, targetHost);
    for (const socket of [client, upstream]) {
      sockets.add(socket);
      socket.on('close', () => sockets.delete(socket));
      socket.on('error', () => {
        client.destroy();
        upstream.destroy();
      });
    }
    forward(client, upstream);
    forward(upstream, client);
    client.on('end', () => upstream.end());
    upstream.on('end', () => client.end());
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  return {
    port,
    stall: () => {
      stalled = true;
    },
    resume: () => {
      stalled = false;
    },
    close: async () => {
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      for (const socket of sockets) socket.destroy();
      await closed;
    },
  };
}
