/**
 * Binds a CodeMirror view to a CollabClient, both ways:
 *
 * - each local transaction becomes one op (UTF-16 → code points, changes.ts) given to
 *   `client.applyLocalChange`; the caret/selection goes to `client.setSelection`;
 * - each remote or resync change from the client is dispatched into the editor, annotated so it is
 *   not sent back, and kept out of the undo history (`addToHistory: false`), so Ctrl+Z undoes only
 *   the user's own edits; CodeMirror maps the local selection and the undo stack through it;
 * - other people's cursors are pushed into the remote-cursor field whenever presence changes.
 *
 * The client's text is the truth. If the editor ever disagrees with it (an op that does not fit,
 * an event that arrived while CodeMirror was mid-update), `reconcile` replaces the difference.
 */
import { Annotation, type Extension, Transaction } from '@codemirror/state';
import { type EditorView, ViewPlugin, type ViewUpdate } from '@codemirror/view';
import { type ChangeEvent, type CollabClient, diffOp } from '@jd-collab/client';
import { codePointToUtf16, utf16ToCodePoint } from '@jd-collab/ot';
import { changeSetToOp, opToChangeSpecs } from './changes.js';
import { type RemoteCursor, remoteCursors, setRemoteCursors } from './remote-cursors.js';

/** Marks transactions that carry other people's edits (never sent back to the server). */
export const remoteEdit = Annotation.define<boolean>();

class CollabSync {
  #updating = false;
  #scheduled = false;
  readonly #unsubscribe: (() => void)[];

  constructor(
    readonly view: EditorView,
    readonly client: CollabClient,
  ) {
    this.#unsubscribe = [
      client.on('change', (event) => this.#onClientChange(event)),
      client.on('presence', () => this.#schedule()),
    ];
    // The client may have loaded the document before the view existed.
    this.#schedule();
  }

  update(update: ViewUpdate): void {
    this.#updating = true;
    try {
      let userTransaction = false;
      for (const tr of update.transactions) {
        if (tr.annotation(remoteEdit)) continue;
        userTransaction = true;
        if (!tr.docChanged) continue;
        try {
          this.client.applyLocalChange(changeSetToOp(tr.changes, tr.startState.doc, tr.state.doc));
        } catch {
          // Refused (not open yet, read-only): put the editor back to the client's text.
          this.#schedule();
        }
      }
      if (userTransaction && (update.selectionSet || update.docChanged)) this.#sendSelection(update);
    } finally {
      this.#updating = false;
    }
  }

  destroy(): void {
    for (const off of this.#unsubscribe) off();
  }

  #sendSelection(update: ViewUpdate): void {
    if (!this.client.isOpen) return;
    const text = update.state.doc.toString();
    if (text !== this.client.text) return;
    const { anchor, head } = update.state.selection.main;
    this.client.setSelection(utf16ToCodePoint(text, anchor), utf16ToCodePoint(text, head));
  }

  #onClientChange(event: ChangeEvent): void {
    if (event.origin === 'local') return;
    if (this.#updating) {
      this.#schedule();
      return;
    }
    const before = this.view.state.doc.toString();
    try {
      this.view.dispatch({
        changes: opToChangeSpecs(event.op, before),
        annotations: [remoteEdit.of(true), Transaction.addToHistory.of(false)],
      });
    } catch {
      // The op does not fit the editor's text: fall through to reconcile.
    }
    this.#sync();
  }

  /** Runs #sync after the current CodeMirror update (dispatching inside one is not allowed). */
  #schedule(): void {
    if (this.#scheduled) return;
    this.#scheduled = true;
    queueMicrotask(() => {
      this.#scheduled = false;
      this.#sync();
    });
  }

  #sync(): void {
    if (this.#updating) {
      this.#schedule();
      return;
    }
    this.#reconcile();
    this.#pushCursors();
  }

  #reconcile(): void {
    if (!this.client.isOpen) return;
    const text = this.view.state.doc.toString();
    const target = this.client.text;
    if (text === target) return;
    this.view.dispatch({
      changes: opToChangeSpecs(diffOp(text, target), text),
      annotations: [remoteEdit.of(true), Transaction.addToHistory.of(false)],
    });
  }

  #pushCursors(): void {
    const text = this.view.state.doc.toString();
    if (text !== this.client.text) return;
    const cursors: RemoteCursor[] = [];
    for (const user of this.client.users) {
      const head = user.selection?.head ?? user.cursor?.position;
      if (head === undefined) continue;
      const anchor = user.selection?.anchor ?? head;
      cursors.push({
        sessionId: user.sessionId,
        name: user.name,
        color: user.color,
        idle: user.status === 'idle',
        anchor: codePointToUtf16(text, anchor),
        head: codePointToUtf16(text, head),
      });
    }
    this.view.dispatch({ effects: setRemoteCursors.of(cursors), annotations: remoteEdit.of(true) });
  }
}

/** The extension that makes a view collaborative through `client`. */
export function collabSync(client: CollabClient): Extension {
  return [remoteCursors(), ViewPlugin.define((view) => new CollabSync(view, client))];
}
