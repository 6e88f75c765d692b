/**
 * Scalar schemas shared by the message schemas. Integers are safe integers (z.int() refuses anything
 * beyond Number.MAX_SAFE_INTEGER, NaN and Infinity); positions and lengths count Unicode code points.
 */
import { z } from 'zod';
import { MAX_CHANGE_ID_LENGTH, MAX_ID_LENGTH, MAX_NAME_LENGTH, MAX_TEXT_LENGTH } from './limits.js';

/** Document version: 0 is the empty initial document; each committed change increments it by one. */
export const versionSchema = z.int().nonnegative();

/** A position or length in Unicode code points. */
export const positionSchema = z.int().nonnegative();

/** A count that must be at least one (delete length). */
export const positiveIntSchema = z.int().positive();

/** Milliseconds (epoch timestamps, retry delays). */
export const millisSchema = z.int().nonnegative();

export const CHANGE_ID_PATTERN = /^[A-Za-z0-9_\-:.]+$/;

/** Client-chosen id of a change, used to de-duplicate retries: 1..64 of [A-Za-z0-9_-:.]. */
export const changeIdSchema = z
  .string()
  .min(1)
  .max(MAX_CHANGE_ID_LENGTH)
  .regex(CHANGE_ID_PATTERN, 'changeId may only contain A-Z a-z 0-9 _ - : .');

/** userId, sessionId, correlationId: 1..128 characters. */
export const idSchema = z.string().min(1).max(MAX_ID_LENGTH);

/**
 * Text every storage backend can hold: well-formed Unicode (a lone surrogate is not a code point,
 * and would silently become U+FFFD in SQLite) without U+0000 (PostgreSQL refuses it in text).
 * Every user-supplied string that is stored builds on this one definition.
 */
export const storableTextSchema = z
  .string()
  // With the u flag, \p{Cs} only matches surrogates that are not part of a pair.
  .refine((text) => !/\p{Cs}/u.test(text), 'contains a lone surrogate (not valid Unicode)')
  .refine((text) => !text.includes('\u0000'), 'contains U+0000 (NUL), which is not allowed');

/** A user-facing name (saved version name, display name, title): 1..200 characters after trimming. */
export const nameSchema = storableTextSchema.trim().min(1).max(MAX_NAME_LENGTH);

/** Free text from the server (error messages, reasons). */
export const textSchema = z.string().max(MAX_TEXT_LENGTH);

/** A CSS hex color, as produced by userColor(). */
export const colorSchema = z.string().regex(/^#[0-9a-fA-F]{6}$/);

export const presenceStatusSchema = z.enum(['active', 'idle']);
export type PresenceStatus = z.infer<typeof presenceStatusSchema>;

/** Text to insert: non-empty storable text. */
export const insertTextSchema = storableTextSchema.min(1);
