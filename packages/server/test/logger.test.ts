import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { childLogger, createLogger, scrubSecrets } from '../src/logger.js';

const JWT =
  'eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiJhbGljZSIsImV4cCI6NDEwMjQ0NDgwMH0.c2lnbmF0dXJlLXNpZ25hdHVyZQ';

/** A logger writing into an array of parsed lines (pino writes synchronously to a plain stream). */
function capture(level: 'info' | 'debug' = 'info') {
  const lines: string[] = [];
  const stream = new Writable({
    write(chunk, _encoding, done) {
      lines.push(String(chunk));
      done();
    },
  });
  const logger = createLogger({ logLevel: level, serverId: 'test-node' }, stream);
  const records = () => lines.map((l) => JSON.parse(l) as Record<string, unknown>);
  return { logger, lines, records };
}

describe('createLogger', () => {
  it('writes JSON with the server id', () => {
    const { logger, records } = capture();
    logger.info({ documentId: 'doc-1' }, 'hello');
    expect(records()[0]).toMatchObject({
      level: 30,
      msg: 'hello',
      documentId: 'doc-1',
      serverId: 'test-node',
    });
  });

  it('never logs a token, wherever it appears', () => {
    const { logger, lines } = capture();
    logger.info({ token: JWT }, 'token field');
    logger.info({ auth: { token: JWT, jwt: JWT } }, 'nested token fields');
    logger.info(
      {
        headers: {
          authorization: `Bearer ${JWT}`,
          'sec-websocket-protocol': `jd-collab.v1, jd-collab.auth.${JWT}`,
        },
      },
      'headers',
    );
    logger.info(
      {
        req: {
          method: 'GET',
          url: `/ws/document/a?token=${JWT}`,
          headers: { authorization: `Bearer ${JWT}` },
        },
      },
      'req',
    );
    logger.info({ url: `/ws/document/a?x=1&token=${JWT}&y=2` }, 'url');
    logger.info(`upgrade for /ws/document/a?token=${JWT}`);
    logger.info('offered %s', `jd-collab.auth.${JWT}`);
    logger.info({ note: `the client sent ${JWT} in a message` }, 'free text');
    logger.error({ err: new Error(`could not verify token ${JWT}`) }, 'error with a token in its message');
    logger.warn({ list: [{ deep: { deeper: `Bearer ${JWT}` } }] }, 'deep');
    expect(lines).toHaveLength(10);
    for (const line of lines) {
      expect(line).not.toContain(JWT);
      expect(line).not.toContain('eyJhbGciOiJIUzI1NiIs');
    }
    expect(lines.join('\n')).toContain('[REDACTED]');
  });

  it('keeps the rest of a URL and an error readable', () => {
    const { logger, records } = capture();
    logger.info({ url: `/ws/document/doc-1?token=${JWT}&v=2` }, 'url');
    const error = new TypeError(`bad token ${JWT}`);
    logger.error({ err: error }, 'failed');
    const [url, err] = records();
    expect(url?.url).toBe('/ws/document/doc-1?token=[REDACTED]&v=2');
    expect(err?.err).toMatchObject({ type: 'TypeError', message: 'bad token [REDACTED]' });
    expect(String((err?.err as { stack?: string } | undefined)?.stack)).toContain('logger.test.ts');
  });

  it('serializes requests without their headers', () => {
    const { logger, records } = capture();
    logger.info({
      req: { id: 'r1', method: 'GET', url: '/api/documents', ip: '10.0.0.1', headers: { cookie: 'c' } },
    });
    expect(records()[0]?.req).toEqual({
      id: 'r1',
      method: 'GET',
      url: '/api/documents',
      remoteAddress: '10.0.0.1',
    });
  });

  it('gives children their context', () => {
    const { logger, records } = capture();
    const child = childLogger(logger, {
      sessionId: 's1',
      documentId: 'd1',
      userId: 'u1',
      correlationId: undefined,
    });
    child.info('in session');
    const record = records()[0];
    expect(record).toMatchObject({ sessionId: 's1', documentId: 'd1', userId: 'u1' });
    expect(record).not.toHaveProperty('correlationId');
  });

  it('respects the level', () => {
    const { logger, lines } = capture('info');
    logger.debug('hidden');
    expect(lines).toEqual([]);
  });
});

describe('scrubSecrets', () => {
  it.each([
    ['/a?token=abc', '/a?token=[REDACTED]'],
    ['/a?b=1&token=abc#x', '/a?b=1&token=[REDACTED]#x'],
    ['Authorization: Bearer abc.def', 'Authorization: Bearer [REDACTED]'],
    ['jd-collab.v1, jd-collab.auth.abc', 'jd-collab.v1, jd-collab.auth.[REDACTED]'],
    ['no secrets here', 'no secrets here'],
  ])('%s -> %s', (input, output) => {
    expect(scrubSecrets(input)).toBe(output);
  });
});
