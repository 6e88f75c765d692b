/**
 * Moves a caret or selection that a client placed at an older version onto the current document.
 * A client reports positions in the document at its last acknowledged version, without its own
 * unacknowledged edits (those are committed later, and may be rebased on the way). Mapping through
 * every change committed since puts the caret where the client sees it: after the sender's own
 * inserts at the caret (they typed them there), in front of other people's.
 */
import { type Selection, transformPosition } from '@jd-collab/ot';
import type { StoredChange } from '../storage/types.js';

export function rebasePosition(
  position: number,
  changes: readonly StoredChange[],
  ownUserId: string,
): number {
  let p = position;
  for (const change of changes)
    p = transformPosition(p, change.op, change.userId === ownUserId ? 'after' : 'before');
  return p;
}

export function rebaseSelection(
  selection: Selection,
  changes: readonly StoredChange[],
  ownUserId: string,
): Selection {
  return {
    anchor: rebasePosition(selection.anchor, changes, ownUserId),
    head: rebasePosition(selection.head, changes, ownUserId),
  };
}
