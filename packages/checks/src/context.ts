/**
 * The per-call state the plugins share through `file.data`: the processor is built once and
 * reused (it is the costly part), so nothing call-specific may live in plugin closures.
 */
import type { VFile } from 'vfile';
import type { Outline } from './markdown/outline.js';
import type { ResolvedOptions } from './options.js';
import type { Posting } from './posting.js';
import type { Finding, GenderTone, Readability } from './types.js';

/** A finding before configuration, with UTF-16 offsets (what remark and retext count). */
export type RawFinding = Finding;

export interface CheckContext {
  text: string;
  posting: Posting | null;
  options: ResolvedOptions;
  findings: RawFinding[];
  outline?: Outline;
  genderTone?: GenderTone;
  readability?: Readability;
}

declare module 'vfile' {
  interface DataMap {
    jdChecks: CheckContext;
  }
}

export function contextOf(file: VFile): CheckContext {
  const context = file.data.jdChecks;
  if (!context) throw new Error('check plugins run only inside checkJobDescription');
  return context;
}
