/**
 * The editors' pace: each editor sends a change about `changesPerSecond` times a second, each
 * gap uniform in [0.5, 1.5] x the mean (so the editors never tick in step), starting at random
 * offsets, until stopped. Every change is registered in the ledger first (its send time).
 */
import { type ChangeLedger, clock } from './ledger.js';

export interface Sender {
  readonly id: number;
  readonly doc: number;
  sendChange(index: number, position: number, text: string): void;
}

export interface SchedulePlan {
  changesPerSecond: number;
  /** Editors insert at random positions 0..this (the initial text's length). */
  initialLength: number;
  insertText: string;
}

export class EditorSchedule {
  /** Changes sent from now on are in the measured window. */
  measuring = false;
  /** The first error of a send (a full ledger, say): sending stops and the run reports it. */
  failure: Error | null = null;
  private sending = false;
  private readonly timers = new Set<NodeJS.Timeout>();

  constructor(
    private readonly editors: readonly Sender[],
    private readonly plan: SchedulePlan,
    private readonly ledger: ChangeLedger,
  ) {}

  start(): void {
    this.sending = true;
    const mean = 1000 / this.plan.changesPerSecond;
    for (const editor of this.editors) this.schedule(editor, Math.random() * mean);
  }

  /** No more changes; safe to call more than once. */
  stop(): void {
    this.sending = false;
    for (const timer of this.timers) clearTimeout(timer);
    this.timers.clear();
  }

  private schedule(editor: Sender, delay: number): void {
    const timer = setTimeout(() => {
      this.timers.delete(timer);
      if (!this.sending) return;
      try {
        const index = this.ledger.issue(editor.id, editor.doc, clock(), this.measuring);
        const position = Math.floor(Math.random() * (this.plan.initialLength + 1));
        editor.sendChange(index, position, this.plan.insertText);
      } catch (error) {
        this.failure ??= error as Error;
        this.stop();
        return;
      }
      this.schedule(editor, (1000 / this.plan.changesPerSecond) * (0.5 + Math.random()));
    }, delay);
    this.timers.add(timer);
  }
}
