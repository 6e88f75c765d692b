/**
 * Power-loss durability for SQLite without stalling the event loop.
 *
 * With `PRAGMA synchronous=FULL` SQLite fsyncs the write-ahead log inside every COMMIT, and
 * better-sqlite3 is synchronous, so each fsync (0.5 ms typical, 17 ms at p95 on the disk we
 * measured) freezes every socket of the process. Instead the store runs with `NORMAL` (SQLite
 * then only syncs at checkpoints, and stays consistent after a crash either way) and calls
 * fsync(2) on the WAL file itself, on libuv's thread pool, after each commit: a write is
 * acknowledged only once the fsync that followed it returned, which is exactly what FULL
 * guarantees in WAL mode (the committed frames are on disk), while the event loop keeps serving.
 *
 * Group fsync: at most one fsync is in flight; commits that finish meanwhile share the next one.
 * fsync flushes the file (the inode), whichever descriptor wrote it, so our read-only descriptor
 * covers SQLite's writes. The WAL file is created by SQLite and kept (reset, not deleted) while a
 * connection is open, which the store's own connection is for as long as this object lives.
 */
import { closeSync, fsync, fsyncSync, openSync } from 'node:fs';
import { dirname } from 'node:path';

type Done = (error: Error | null) => void;

/** fs.fsync's shape: the one file-system call WalSync waits on (tests pass one that stalls). */
export type FsyncFn = (fd: number, callback: (error: NodeJS.ErrnoException | null) => void) => void;

export class WalSync {
  #fd: number | null = null;
  #waiting: Done[] = [];
  #inFlight = false;
  #idle: (() => void)[] = [];
  /** fsync calls completed (for tests and diagnostics). */
  syncs = 0;

  constructor(
    private readonly walPath: string,
    private readonly fsyncFile: FsyncFn = fsync,
  ) {}

  /** Calls `done` once everything SQLite wrote to the WAL before this call is on disk. */
  after(done: Done): void {
    this.#waiting.push(done);
    if (!this.#inFlight) this.#start();
  }

  /** Resolves once everything written so far is on disk; rejects when fsync failed. */
  synced(): Promise<void> {
    return new Promise((resolve, reject) => this.after((error) => (error ? reject(error) : resolve())));
  }

  /** Waits for the fsync in flight (if any), then closes the descriptor. */
  async close(): Promise<void> {
    if (this.#inFlight) await new Promise<void>((resolve) => this.#idle.push(resolve));
    if (this.#fd !== null) closeSync(this.#fd);
    this.#fd = null;
  }

  #start(): void {
    const batch = this.#waiting;
    this.#waiting = [];
    let fd: number;
    try {
      fd = this.#open();
    } catch (error) {
      for (const done of batch) done(error as Error);
      return;
    }
    this.#inFlight = true;
    this.fsyncFile(fd, (error) => {
      this.#inFlight = false;
      this.syncs++;
      for (const done of batch) done(error);
      if (this.#waiting.length > 0) this.#start();
      else for (const resolve of this.#idle.splice(0)) resolve();
    });
  }

  /** Opened on first use: SQLite creates the WAL file with the first write. */
  #open(): number {
    if (this.#fd !== null) return this.#fd;
    const fd = openSync(this.walPath, 'r');
    // Once: make the WAL file's directory entry durable too (a new file needs its directory synced).
    const dir = openSync(dirname(this.walPath), 'r');
    try {
      fsyncSync(dir);
    } finally {
      closeSync(dir);
    }
    this.#fd = fd;
    return fd;
  }
}
