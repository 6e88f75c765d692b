/**
 * Who goes first when two concurrent changes insert at the same position: the author that sorts
 * first (by user id), whatever order the server committed them in; between two changes of one
 * author (two tabs), the one committed first.
 *
 * Why not commit order alone: two people typing at the same place send one small change per
 * keystroke or batch. With commit order, whoever's keystroke reached the server second lost every
 * tie, including the ties between their *next* keystroke and the other person's text inserted right
 * behind their previous one, so the two runs interleaved ("[[A]B]" for "[A]" and "[B]"). A fixed
 * order between authors makes every tie between the same two people go the same way, so each run
 * stays contiguous ("[A][B]" or "[B][A]"): the non-interleaving property of Fugue (Weidner &
 * Kleppmann 2023) for the case that matters, people typing at one spot (see Kleppmann et al. 2019,
 * "Interleaving anomalies in collaborative text editors"). Together with carets that stay before a
 * remote insert at the caret (transformPosition 'before'), a person keeps typing where they were.
 *
 * Both sides of a transform must agree (TP1): the server rebases an incoming change by `author`
 * over a committed one by `other` with `tieSide(author, other)`, and a client transforms its pending
 * change the same way and the remote one with the opposite side.
 */
import type { Side } from './op.js';

export function tieSide(author: string, other: string): Side {
  return author !== other && author < other ? 'left' : 'right';
}

/** The other side. */
export function oppositeSide(side: Side): Side {
  return side === 'left' ? 'right' : 'left';
}
