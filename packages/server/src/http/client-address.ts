/**
 * Which peers are trusted proxies (TRUST_PROXY), and so where a request's client address comes
 * from: the socket's remote address, or X-Forwarded-For when the request came through trusted
 * proxies. One definition for Fastify (request.ip, logs, rate limits) and for the raw server
 * (connection and upgrade caps), which sees requests Fastify never routes.
 */
import type { IncomingMessage } from 'node:http';
import proxyAddr from '@fastify/proxy-addr';
import type { Config } from '../config.js';

/** Whether the peer at `address`, `hop` hops from us (0: the socket's peer), is a trusted proxy. */
export type TrustProxy = (address: string, hop: number) => boolean;

export function trustProxy(setting: Config['trustProxy']): TrustProxy {
  if (setting === true) return () => true;
  if (setting === false) return () => false;
  if (typeof setting === 'number') return (_address, hop) => hop < setting;
  return proxyAddr.compile(setting);
}

/** The client's address: the nearest one in X-Forwarded-For that is not a trusted proxy. */
export function clientAddress(req: IncomingMessage, trust: TrustProxy): string {
  const addresses = proxyAddr.all(req, trust);
  return addresses[addresses.length - 1] ?? req.socket.remoteAddress ?? '';
}
