/**
 * The generated nginx configuration: real nginx accepts it (`nginx -t`), and the file operators
 * deploy (deploy/nginx/jd-collab.conf, used by docker-compose.production.yml) is exactly what the
 * generator produces, so the tested configuration and the shipped one cannot drift apart.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir, userInfo } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { renderNginxMain, renderNginxSite } from '../../src/deploy/nginx-config.js';
import { NGINX } from '../cluster/services.js';

const DEPLOYED = new URL('../../../../deploy/nginx/jd-collab.conf', import.meta.url);

/** What deploy/nginx/jd-collab.conf holds: the compose file's three backends. */
const COMPOSE_SITE = {
  listen: 80,
  nodes: ['backend-1:3000', 'backend-2:3000', 'backend-3:3000'],
} as const;

describe('nginx configuration', () => {
  it('is accepted by nginx -t', () => {
    const runDir = mkdtempSync(join(tmpdir(), 'jd-nginx-t-'));
    try {
      const conf = join(runDir, 'nginx.conf');
      const user = process.getuid?.() === 0 ? userInfo().username : undefined;
      writeFileSync(
        conf,
        renderNginxMain({
          listen: '127.0.0.1:8080', // -t does not bind it
          nodes: ['127.0.0.1:3001', '127.0.0.1:3002', '127.0.0.1:3003'],
          runDir,
          ...(user ? { user } : {}),
        }),
      );
      const result = spawnSync(NGINX, ['-t', '-c', conf, '-p', runDir, '-e', join(runDir, 'error.log')], {
        encoding: 'utf8',
      });
      expect(result.stderr).toContain('test is successful');
      expect(result.status).toBe(0);
    } finally {
      rmSync(runDir, { recursive: true, force: true });
    }
  });

  it('is what deploy/nginx/jd-collab.conf holds', () => {
    expect(readFileSync(DEPLOYED, 'utf8')).toBe(renderNginxSite(COMPOSE_SITE));
  });

  it('routes WebSockets by document, upgrades them and keeps them open past the heartbeat', () => {
    const site = renderNginxSite({ listen: 8080, nodes: ['127.0.0.1:3001'] });
    expect(site).toContain('hash $uri consistent;');
    expect(site).toContain('proxy_set_header Upgrade $http_upgrade;');
    expect(site).toContain('proxy_set_header Connection $connection_upgrade;');
    expect(site).toContain('proxy_read_timeout 120s;');
    expect(site).toContain('server 127.0.0.1:3001 max_fails=2 fail_timeout=10s;');
    expect(site).toContain('location = /upstreams/1/readyz');
  });

  it('needs at least one node', () => {
    expect(() => renderNginxSite({ listen: 80, nodes: [] })).toThrow(RangeError);
  });
});
