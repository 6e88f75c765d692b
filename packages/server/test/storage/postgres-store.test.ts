/**
 * PostgresStore against a real PostgreSQL (TEST_DATABASE_URL, default the local server with
 * trust auth). This file creates its own database, gives every test its own schema in it, and
 * drops the database at the end. PostgreSQL not reachable is a failure, not a skip: CI starts it.
 */
import { randomBytes } from 'node:crypto';
import { createServer, type Server, type Socket, connect as tcpConnect } from 'node:net';
import pg from 'pg';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { POSTGRES_MIGRATIONS, runPostgresMigrations } from '../../src/storage/postgres-migrations.js';
import { createPostgresStore, type PostgresStore } from '../../src/storage/postgres-store.js';
import { isStoreError } from '../../src/storage/store-errors.js';
import type { StoredChange } from '../../src/storage/types.js';
import { describeDocumentStore } from './store-conformance.js';

const ADMIN_URL = process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const database = `jdcollab_test_${randomBytes(6).toString('hex')}`;
const databaseUrl = withDatabase(ADMIN_URL, database);
let schemaCounter = 0;
let created = false;
/** Connections to the test database for the tests' own inspection and cleanup. */
let testDb: pg.Pool;

function withDatabase(url: string, name: string): string {
  const parsed = new URL(url);
  parsed.pathname = `/${name}`;
  return parsed.toString();
}

function withPort(url: string, port: number): string {
  const parsed = new URL(url);
  parsed.port = String(port);
  return parsed.toString();
}

/** Runs `work` on a fresh connection to the admin database (to create and drop ours). */
async function admin<T>(work: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: ADMIN_URL, connectionTimeoutMillis: 5_000 });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

beforeAll(async () => {
  try {
    await admin(async (client) => {
      await client.query(`CREATE DATABASE ${database}`);
      // Test data need not survive a power cut; locking and ordering are unchanged, commits are
      // just not fsynced, which keeps this file quick on a small machine.
      await client.query(`ALTER DATABASE ${database} SET synchronous_commit = off`);
    });
    created = true;
    testDb = new pg.Pool({ connectionString: databaseUrl, max: 2 });
  } catch (error) {
    throw new Error(
      `PostgreSQL is not reachable at ${ADMIN_URL} (${String(error)}). These tests need a real ` +
        'PostgreSQL: start it (CI does), or point TEST_DATABASE_URL at one.',
    );
  }
});

afterAll(async () => {
  if (!created) return;
  await testDb.end();
  await admin((client) => client.query(`DROP DATABASE IF EXISTS ${database} WITH (FORCE)`));
});

/** A fresh schema name; dropping the database at the end removes them all. */
function freshSchema(): string {
  schemaCounter += 1;
  return `s${schemaCounter}`;
}

async function dropSchema(schema: string): Promise<void> {
  await testDb.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
}

/**
 * The conformance suite wants a fresh, empty store per test. Creating and dropping a schema per
 * test costs ~0.3 s of DDL, so the suite shares one schema and empties it after each test;
 * init() on an existing schema is the idempotent path every restarted node takes anyway.
 */
const CONFORMANCE_SCHEMA = 'conformance';
describeDocumentStore('postgres', async () => {
  const store = createPostgresStore({
    connectionString: databaseUrl,
    schema: CONFORMANCE_SCHEMA,
    poolSize: 5,
  });
  return {
    store,
    cleanup: async () => {
      await store.close();
      await testDb.query(
        ['named_versions', 'snapshots', 'changes', 'documents']
          .map((table) => `DELETE FROM "${CONFORMANCE_SCHEMA}".${table};`)
          .join(' '),
      );
    },
  };
});

function change(version: number, changeId: string): StoredChange {
  return {
    documentId: 'doc',
    version,
    changeId,
    userId: 'u-1',
    userName: 'Ann',
    op: [version, 'é😀'],
    createdAt: 1_000 + version,
  };
}

const NEW_DOC = {
  id: 'doc',
  title: 'Doc',
  department: 'Ops',
  content: 'Hello',
  createdBy: 'u-1',
  createdByName: 'Ann',
  createdAt: 1_000,
};

describe('PostgresStore across nodes', () => {
  const opened: PostgresStore[] = [];
  const schemas: string[] = [];

  function open(schema: string, poolSize = 4): PostgresStore {
    const store = createPostgresStore({ connectionString: databaseUrl, schema, poolSize });
    opened.push(store);
    return store;
  }

  function schema(): string {
    const name = freshSchema();
    schemas.push(name);
    return name;
  }

  afterEach(async () => {
    for (const store of opened.splice(0)) await store.close();
    for (const name of schemas.splice(0)) await dropSchema(name);
  });

  it('migrates once when several nodes start at the same time', async () => {
    const name = schema();
    const nodes = Array.from({ length: 4 }, () => open(name, 2));
    await Promise.all(nodes.map((node) => node.init()));
    const { rows } = await testDb.query(`SELECT version FROM "${name}".schema_migrations ORDER BY version`);
    expect(rows.map((r) => r.version)).toEqual(POSTGRES_MIGRATIONS.map((m) => m.version));
  });

  it('migrates an existing schema to changeIds unique per author, keeping every change', async () => {
    const name = schema();
    const client = await testDb.connect();
    try {
      await runPostgresMigrations(
        client,
        name,
        POSTGRES_MIGRATIONS.filter((m) => m.version === 1),
      );
    } finally {
      client.release();
    }
    const legacy = open(name);
    await testDb.query(
      `INSERT INTO "${name}".documents (id, title, department, status, created_at, created_by, updated_at, version)
       VALUES ('doc', 'T', 'D', 'draft', 0, 'u-1', 0, 1)`,
    );
    await testDb.query(`INSERT INTO "${name}".changes VALUES ('doc', 1, 'x-1', 'u-1', 'U', '["a"]', 1)`);
    await legacy.init();
    expect((await legacy.getChanges('doc', 0)).map((c) => c.changeId)).toEqual(['x-1']);
    expect(await legacy.commitChanges('doc', 1, [{ ...change(2, 'x-1'), userId: 'u-2' }])).toEqual({
      ok: true,
      version: 2,
    });
    expect(await legacy.commitChanges('doc', 2, [{ ...change(3, 'x-1'), userId: 'u-1' }])).toMatchObject({
      ok: false,
      reason: 'duplicate-change',
    });
  });

  it('refuses a schema written by a newer build', async () => {
    const name = schema();
    await open(name).init();
    await testDb.query(
      `INSERT INTO "${name}".schema_migrations (version, name, applied_at) VALUES (999, 'x', 0)`,
    );
    const error = await open(name)
      .init()
      .then(
        () => null,
        (e: unknown) => e,
      );
    expect(isStoreError(error, 'SCHEMA_TOO_NEW'), String(error)).toBe(true);
  });

  it('refuses a schema name that is not a plain identifier', () => {
    expect(() => createPostgresStore({ connectionString: databaseUrl, schema: 'x"; DROP' })).toThrow(
      /schema must match/,
    );
  });

  it('lets exactly one of two nodes win each version', async () => {
    const name = schema();
    const [a, b] = [open(name), open(name)];
    await a.init();
    await b.init();
    await a.createDocument(NEW_DOC);
    for (let version = 1; version <= 20; version++) {
      const [ra, rb] = await Promise.all([
        a.commitChanges('doc', version - 1, [change(version, `a-${version}`)]),
        b.commitChanges('doc', version - 1, [change(version, `b-${version}`)]),
      ]);
      const winners = [ra, rb].filter((r) => r.ok);
      expect(winners).toEqual([{ ok: true, version }]);
      expect([ra, rb].find((r) => !r.ok)).toEqual({
        ok: false,
        reason: 'version-taken',
        currentVersion: version,
      });
    }
    expect((await b.getChanges('doc', 0)).map((c) => c.version)).toEqual(
      Array.from({ length: 20 }, (_, i) => i + 1),
    );
  });

  it('serialises two nodes of concurrent writers into one gap-free history, every change committed', async () => {
    const name = schema();
    const nodes = [open(name), open(name)];
    await Promise.all(nodes.map((node) => node.init()));
    await nodes[0]!.createDocument(NEW_DOC);
    const perWriter = 10;
    const writer = async (store: PostgresStore, id: string): Promise<void> => {
      for (let n = 0; n < perWriter; n++) {
        const changeId = `${id}-${n}`;
        let expected = (await store.getDocument('doc'))!.version;
        for (let attempt = 0; ; attempt++) {
          if (attempt > 200) throw new Error(`${changeId} never committed`);
          const result = await store.commitChanges('doc', expected, [change(expected + 1, changeId)]);
          if (result.ok) break;
          if (result.reason !== 'version-taken') throw new Error(`unexpected ${result.reason}`);
          expected = result.currentVersion;
        }
      }
    };
    const writers = nodes.flatMap((store, s) => [0, 1, 2].map((w) => writer(store, `n${s}w${w}`)));
    await Promise.all(writers);

    const total = writers.length * perWriter;
    const history = await nodes[1]!.getChanges('doc', 0);
    expect(history.map((c) => c.version)).toEqual(Array.from({ length: total }, (_, i) => i + 1));
    expect(new Set(history.map((c) => c.changeId)).size).toBe(total);
    expect((await nodes[0]!.getDocument('doc'))?.version).toBe(total);
  });

  it('commits from three nodes, retrying like the pipeline: consecutive versions, each change once', async () => {
    const name = schema();
    const nodes = [open(name, 3), open(name, 3), open(name, 3)];
    await Promise.all(nodes.map((node) => node.init()));
    await nodes[0]!.createDocument(NEW_DOC);
    const batchesPerWriter = 8;
    const sent: string[][] = [];
    // Each commit is one autocommitted statement: no session of ours may ever wait for Node
    // between two statements while holding the document's row lock.
    const states = new Set<string>();
    let storming = true;
    const sampler = (async () => {
      while (storming) {
        const { rows } = await testDb.query<{ state: string | null }>(
          `SELECT state FROM pg_stat_activity WHERE datname = current_database() AND application_name = 'jd-collab'`,
        );
        for (const row of rows) if (row.state) states.add(row.state);
        await new Promise((resolve) => setTimeout(resolve, 2));
      }
    })();

    const writer = async (store: PostgresStore, id: string): Promise<void> => {
      let known = 0;
      for (let n = 0; n < batchesPerWriter; n++) {
        const ids = Array.from({ length: 1 + (n % 3) }, (_, k) => `${id}-${n}-${k}`);
        sent.push(ids);
        const batchAt = (base: number) =>
          ids.map((changeId, k) => ({ ...change(base + k + 1, changeId), userId: id }));
        for (let attempt = 0; ; attempt++) {
          if (attempt > 500) throw new Error(`${ids[0]} never committed`);
          const result = await store.commitChanges('doc', known, batchAt(known));
          if (result.ok) {
            expect(result.version).toBe(known + ids.length);
            // A lost ack: the client re-sends the batch, aimed at the version it knew then.
            if (n % 4 === 0) {
              expect(await store.commitChanges('doc', known, batchAt(known))).toEqual({
                ok: false,
                reason: 'duplicate-change',
                existing: batchAt(known)[0],
              });
            }
            known = result.version;
            break;
          }
          if (result.reason !== 'version-taken') throw new Error(`unexpected ${result.reason}`);
          expect(result.currentVersion).toBeGreaterThan(known);
          // What the pipeline does: read what it missed, then rebase onto it.
          const missed = await store.getChanges('doc', known);
          expect(missed.map((c) => c.version)).toEqual(missed.map((_, i) => known + i + 1));
          expect(missed.length).toBeGreaterThanOrEqual(result.currentVersion - known);
          known = missed[missed.length - 1]!.version;
        }
      }
    };
    try {
      await Promise.all(nodes.flatMap((store, s) => [0, 1, 2].map((w) => writer(store, `n${s}w${w}`))));
    } finally {
      storming = false;
      await sampler;
    }

    const total = sent.flat().length;
    const history = await nodes[2]!.getChanges('doc', 0);
    expect(history.map((c) => c.version)).toEqual(Array.from({ length: total }, (_, i) => i + 1));
    expect(history.map((c) => c.changeId).sort()).toEqual(sent.flat().sort());
    // Group commit: every batch occupies consecutive versions, in order.
    const versionOf = new Map(history.map((c) => [c.changeId, c.version]));
    for (const ids of sent) {
      const first = versionOf.get(ids[0]!)!;
      expect(ids.map((id) => versionOf.get(id))).toEqual(ids.map((_, k) => first + k));
    }
    const doc = await nodes[1]!.getDocument('doc');
    expect(doc?.version).toBe(total);
    expect(doc?.updatedBy).toBe(history[total - 1]!.userId);
    expect(states.has('idle in transaction')).toBe(false);
  });

  it('races at one expected version: one ok, one version-taken, and retried ids stay final', async () => {
    const name = schema();
    const [a, b, c] = [open(name), open(name), open(name)];
    await Promise.all([a, b, c].map((node) => node.init()));
    await a.createDocument(NEW_DOC);
    let version = 0;
    for (let round = 1; round <= 10; round++) {
      // Different batch sizes, so the loser's currentVersion tells which batch won.
      const fromA = [change(version + 1, `a-${round}-1`), change(version + 2, `a-${round}-2`)];
      const fromB = [{ ...change(version + 1, `b-${round}`), userId: 'u-b' }];
      const [ra, rb] = await Promise.all([
        a.commitChanges('doc', version, fromA),
        b.commitChanges('doc', version, fromB),
      ]);
      const [winner, loser] = ra.ok ? [fromA, fromB] : [fromB, fromA];
      const last = winner[winner.length - 1]!;
      expect([ra, rb].filter((r) => r.ok)).toEqual([{ ok: true, version: last.version }]);
      expect([ra, rb].find((r) => !r.ok)).toEqual({
        ok: false,
        reason: 'version-taken',
        currentVersion: last.version,
      });
      for (const lost of loser) expect(await c.findChange('doc', lost.userId, lost.changeId)).toBeNull();
      expect(await c.getDocument('doc')).toMatchObject({ version: last.version, updatedBy: last.userId });

      // The same change sent through two nodes at once (a client that reconnected): one ok,
      // the other duplicate-change, never version-taken.
      const retried = change(last.version + 1, `r-${round}`);
      const twice = await Promise.all(
        [b, c].map((node) => node.commitChanges('doc', last.version, [retried])),
      );
      expect(twice.filter((r) => r.ok)).toEqual([{ ok: true, version: retried.version }]);
      expect(twice.find((r) => !r.ok)).toEqual({ ok: false, reason: 'duplicate-change', existing: retried });

      // A stored id aimed at a stale version, behind a fresh one: still duplicate-change, and
      // the fresh change is not stored either.
      const stale = [
        change(1, `fresh-${round}`),
        { ...change(2, winner[0]!.changeId), userId: winner[0]!.userId },
      ];
      expect(await c.commitChanges('doc', 0, stale)).toEqual({
        ok: false,
        reason: 'duplicate-change',
        existing: winner[0],
      });
      expect(await a.findChange('doc', 'u-1', `fresh-${round}`)).toBeNull();
      version = retried.version;
    }
    expect((await a.getChanges('doc', 0)).map((ch) => ch.version)).toEqual(
      Array.from({ length: version }, (_, i) => i + 1),
    );
  });

  it('recognises a change retried on another node as a duplicate', async () => {
    const name = schema();
    const [a, b] = [open(name), open(name)];
    await a.init();
    await b.init();
    await a.createDocument(NEW_DOC);
    const original = change(1, 'once');
    expect(await a.commitChanges('doc', 0, [original])).toEqual({ ok: true, version: 1 });
    expect(await b.commitChanges('doc', 0, [change(1, 'once')])).toEqual({
      ok: false,
      reason: 'duplicate-change',
      existing: original,
    });
  });

  it('lets the (document, version) key decide even for a writer that skipped the row lock', async () => {
    const name = schema();
    const store = open(name);
    await store.init();
    await store.createDocument(NEW_DOC);
    // A rogue writer stores version 1 without the lock and without moving the document.
    await testDb.query(
      `INSERT INTO "${name}".changes (document_id, version, change_id, user_id, user_name, op, created_at)
       VALUES ('doc', 1, 'rogue', 'u', 'U', '[1]', 0)`,
    );
    expect(await store.commitChanges('doc', 0, [change(1, 'mine')])).toEqual({
      ok: false,
      reason: 'version-taken',
      currentVersion: 1,
    });
    expect(await store.findChange('doc', 'u-1', 'mine')).toBeNull();
  });

  it('runs the migrations transactionally: a failing migration leaves nothing behind', async () => {
    const name = schema();
    const client = await testDb.connect();
    try {
      const broken = [
        ...POSTGRES_MIGRATIONS,
        { version: 2, name: 'broken', sql: 'CREATE TABLE {schema}.ok (id int); SELECT nonsense_fn();' },
      ];
      await expect(runPostgresMigrations(client, name, broken)).rejects.toThrow(/nonsense_fn/);
      const exists = await client.query('SELECT 1 FROM pg_namespace WHERE nspname = $1', [name]);
      expect(exists.rowCount).toBe(0);
    } finally {
      client.release();
    }
  });
});

/**
 * A TCP proxy in front of PostgreSQL that the test can take down and bring back on the same
 * port: the store sees the database vanish (connection refused, connections cut) and return.
 */
class FlakyProxy {
  #server: Server | null = null;
  readonly #sockets = new Set<Socket>();
  port = 0;

  constructor(private readonly target: { host: string; port: number }) {}

  async up(): Promise<void> {
    const server = createServer((socket) => {
      const upstream = tcpConnect(this.target.port, this.target.host);
      for (const s of [socket, upstream]) {
        this.#sockets.add(s);
        s.on('close', () => this.#sockets.delete(s));
        s.on('error', () => {
          socket.destroy();
          upstream.destroy();
        });
      }
      socket.pipe(upstream).pipe(socket);
    });
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(this.port, '127.0.0.1', () => resolve());
    });
    const address = server.address();
    if (address && typeof address === 'object') this.port = address.port;
    this.#server = server;
  }

  async down(): Promise<void> {
    const server = this.#server;
    this.#server = null;
    for (const socket of this.#sockets) socket.destroy();
    if (server) await new Promise<void>((resolve) => server.close(() => resolve()));
  }
}

describe('PostgresStore when the database is unreachable', () => {
  const target = new URL(ADMIN_URL);

  it('fails init and ping against a closed port, with a connection error', async () => {
    const closed = await new Promise<number>((resolve) => {
      const server = createServer();
      server.listen(0, '127.0.0.1', () => {
        const address = server.address();
        server.close(() => resolve(typeof address === 'object' && address ? address.port : 1));
      });
    });
    const store = createPostgresStore({ connectionString: withPort(databaseUrl, closed), schema: 'x' });
    await expect(store.init()).rejects.toThrow(/ECONNREFUSED/);
    await expect(store.ping()).rejects.toSatisfy((e) => isStoreError(e, 'CLOSED'));
    await store.close();
  });

  it('fails ping and commits while the database is gone, writes nothing, and recovers', async () => {
    const name = freshSchema();
    const proxy = new FlakyProxy({ host: target.hostname, port: Number(target.port || 5432) });
    await proxy.up();
    const errors: Error[] = [];
    const store = createPostgresStore({
      connectionString: withPort(databaseUrl, proxy.port),
      schema: name,
      poolSize: 2,
      connectionTimeoutMs: 2_000,
      onError: (error) => errors.push(error),
    });
    try {
      await store.init();
      await store.createDocument(NEW_DOC);
      await store.ping();

      await proxy.down();
      await expect(store.ping()).rejects.toThrow();
      const commit = await store.commitChanges('doc', 0, [change(1, 'during-outage')]).then(
        () => null,
        (e: unknown) => e,
      );
      expect(commit, 'a commit while the database is gone must reject').toBeInstanceOf(Error);
      expect(isStoreError(commit)).toBe(false);

      await proxy.up(); // same port
      await store.ping();
      expect(await store.findChange('doc', 'u-1', 'during-outage')).toBeNull();
      expect((await store.getDocument('doc'))?.version).toBe(0);
      expect(await store.commitChanges('doc', 0, [change(1, 'during-outage')])).toEqual({
        ok: true,
        version: 1,
      });
    } finally {
      await store.close();
      await proxy.down();
      await dropSchema(name);
    }
  });
});
