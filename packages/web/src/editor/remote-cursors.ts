/**
 * Other people's carets and selections inside the editor: a colored bar with a name label at each
 * caret, and a translucent highlight over each selection. The positions live in a StateField and
 * are mapped through every change, so they stay attached to the right text between presence
 * updates (which replace them wholesale through `setRemoteCursors`).
 */
import { type EditorState, type Extension, StateEffect, StateField } from '@codemirror/state';
import { Decoration, type DecorationSet, EditorView, WidgetType } from '@codemirror/view';

export interface RemoteCursor {
  sessionId: string;
  name: string;
  color: string;
  idle: boolean;
  /** UTF-16 offsets in the editor's document. */
  anchor: number;
  head: number;
}

/** A cursor as drawn: `moves` counts its own moves, so its name label shows again after each. */
interface DrawnCursor extends RemoteCursor {
  moves: number;
}

export const setRemoteCursors = StateEffect.define<readonly RemoteCursor[]>();

/**
 * The caret and its name label. The label fades out a few seconds after the person stops moving
 * (CSS animation) so it does not hide the text above; a move makes a new widget, which shows it again.
 */
class CaretWidget extends WidgetType {
  constructor(
    readonly name: string,
    readonly color: string,
    readonly idle: boolean,
    readonly moves: number,
  ) {
    super();
  }

  override eq(other: CaretWidget): boolean {
    return (
      other.name === this.name &&
      other.color === this.color &&
      other.idle === this.idle &&
      other.moves === this.moves
    );
  }

  toDOM(): HTMLElement {
    const caret = document.createElement('span');
    caret.className = this.idle ? 'cm-remote-caret cm-remote-caret-idle' : 'cm-remote-caret';
    caret.style.borderLeftColor = this.color;
    caret.setAttribute('aria-hidden', 'true');
    const label = document.createElement('span');
    label.className = 'cm-remote-caret-label';
    label.style.backgroundColor = this.color;
    label.textContent = this.name;
    caret.append(label);
    return caret;
  }

  override ignoreEvent(): boolean {
    return true;
  }
}

function clamp(pos: number, state: EditorState): number {
  return Math.max(0, Math.min(pos, state.doc.length));
}

function decorationsFor(cursors: readonly DrawnCursor[], state: EditorState): DecorationSet {
  const ranges = [];
  for (const c of cursors) {
    const anchor = clamp(c.anchor, state);
    const head = clamp(c.head, state);
    if (anchor !== head) {
      ranges.push(
        Decoration.mark({
          class: 'cm-remote-selection',
          attributes: { style: `background-color: ${c.color}2e` },
        }).range(Math.min(anchor, head), Math.max(anchor, head)),
      );
    }
    ranges.push(
      Decoration.widget({ widget: new CaretWidget(c.name, c.color, c.idle, c.moves), side: 1 }).range(head),
    );
  }
  return Decoration.set(ranges, true);
}

interface CursorState {
  cursors: readonly DrawnCursor[];
  decorations: DecorationSet;
}

const remoteCursorField = StateField.define<CursorState>({
  create: () => ({ cursors: [], decorations: Decoration.none }),
  update(value, tr) {
    let cursors = value.cursors;
    for (const effect of tr.effects) {
      if (effect.is(setRemoteCursors)) cursors = withMoves(effect.value, cursors);
    }
    if (cursors === value.cursors && !tr.docChanged) return value;
    if (cursors === value.cursors) {
      // Text changed under the carets: keep them on the same characters (an insert at a caret
      // pushes it along, as it would for the person typing there).
      cursors = cursors.map((c) => ({
        ...c,
        anchor: tr.changes.mapPos(c.anchor, 1),
        head: tr.changes.mapPos(c.head, 1),
      }));
    }
    return { cursors, decorations: decorationsFor(cursors, tr.state) };
  },
  provide: (field) => EditorView.decorations.from(field, (value) => value.decorations),
});

function withMoves(next: readonly RemoteCursor[], previous: readonly DrawnCursor[]): DrawnCursor[] {
  const before = new Map(previous.map((c) => [c.sessionId, c]));
  return next.map((c) => {
    const old = before.get(c.sessionId);
    if (old === undefined) return { ...c, moves: 0 };
    const moved = old.head !== c.head || old.anchor !== c.anchor;
    return { ...c, moves: moved ? old.moves + 1 : old.moves };
  });
}

export function remoteCursors(): Extension {
  return remoteCursorField;
}
