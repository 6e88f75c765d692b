/**
 * A disk whose fsync hangs, made at the file-system boundary: the SQLite store's WAL fsync
 * (SqliteStoreOptions.fsync) is node:fs fsync itself, except that while stalled each call waits
 * (the caller sees nothing, as on a hung disk or a lost network volume) and is made for real on
 * release. Everything above the fsync, the store included, runs unchanged.
 */
import { fsync } from 'node:fs';
import type { FsyncFn } from '../../src/storage/wal-sync.js';

export interface StallableFsync {
  fsync: FsyncFn;
  stall(): void;
  /** Makes every held fsync now and stops holding. */
  release(): void;
  /** fsync calls waiting for release(). */
  readonly held: number;
}

export function stallableFsync(): StallableFsync {
  let held: (() => void)[] | null = null;
  return {
    fsync: (fd, callback) => {
      if (held) held.push(() => fsync(fd, callback));
      else fsync(fd, callback);
    },
    stall: () => {
      held ??= [];
    },
    release: () => {
      const waiting = held ?? [];
      held = null;
      for (const run of waiting) run();
    },
    get held() {
      return held?.length ?? 0;
    },
  };
}
