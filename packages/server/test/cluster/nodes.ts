/**
 * In-process server nodes for the cluster tests: the real startServer (HTTP, WebSockets,
 * PostgreSQL store, Redis pub/sub and presence) on port 0, several per test sharing one database
 * schema and one Redis key prefix, exactly as separate processes would.
 */
import { createTokenService } from '../../src/auth/tokens.js';
import { loadConfig } from '../../src/config.js';
import { type RunningServer, startServer } from '../../src/server.js';

export const SECRET = 'cluster-test-secret-0123456789abcdef-0123456789';

export interface NodeEnv {
  DATABASE_URL: string;
  DATABASE_SCHEMA: string;
  REDIS_URL: string;
  REDIS_KEY_PREFIX: string;
  [name: string]: string;
}

export interface TestNode {
  server: RunningServer;
  wsUrl: string;
  serverId: string;
}

export async function startNode(serverId: string, env: NodeEnv): Promise<TestNode> {
  const config = loadConfig({
    PORT: '0',
    HOST: '127.0.0.1',
    JWT_SECRET: SECRET,
    LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? 'silent',
    SERVER_ID: serverId,
    WEB_DIR: '/nonexistent/jd-collab-web',
    RATE_LIMIT_PER_SECOND: '1000',
    RATE_LIMIT_PER_MINUTE: '100000',
    SHUTDOWN_TIMEOUT_MS: '3000',
    DATABASE_START_TIMEOUT_MS: '10000',
    ...env,
  });
  const server = await startServer(config, { seed: false });
  return { server, wsUrl: server.url.replace(/^http/, 'ws'), serverId };
}

const tokens = createTokenService(SECRET);

export function tokenFor(userId: string): Promise<string> {
  return tokens.sign(
    { sub: userId, name: `Writer ${userId}`, permissions: ['document:*:write'], roles: [] },
    3600,
  );
}
