/**
 * Zod schema of an OT operation of @jd-collab/ot (text-unicode style, all counts in code points):
 *   number n > 0  retain n code points
 *   string s      insert s (non-empty)
 *   { d: n }      delete n code points (n > 0)
 *   { d: s }      delete the code points s (invertible form; must match the document)
 * Validation is delegated to `checkOp`, the engine's own validator, so protocol and engine can never
 * disagree on what an op is, and errors name the offending component ("component 2: ...").
 * The component schemas below describe the format for tooling; opSchema does not need them.
 */
import { checkOp, type Op } from '@jd-collab/ot';
import { z } from 'zod';

export const retainComponentSchema = z.int().positive();
export const insertComponentSchema = z.string().min(1);
/** Strict: an unknown key ({ i: ... }, { r: ... }) would mean another op format, so it is refused. */
export const deleteComponentSchema = z.strictObject({ d: z.union([z.int().positive(), z.string().min(1)]) });

export const componentSchema = z.union([retainComponentSchema, insertComponentSchema, deleteComponentSchema]);

export const opSchema = z.array(z.unknown()).superRefine((op, ctx) => {
  try {
    checkOp(op);
  } catch (error) {
    ctx.addIssue({
      code: 'custom',
      message: error instanceof Error ? error.message : 'Invalid op',
    });
    return;
  }
  // U+0000 is valid Unicode but no document store keeps it (PostgreSQL refuses it): refuse it here,
  // as an invalid op, rather than as a storage failure later.
  op.forEach((c, i) => {
    const text =
      typeof c === 'string' ? c : typeof c === 'object' && c !== null ? (c as { d: unknown }).d : null;
    if (typeof text === 'string' && text.includes('\u0000')) {
      ctx.addIssue({
        code: 'custom',
        message: `component ${i}: text contains U+0000 (NUL), which is not allowed`,
      });
    }
  });
}) as unknown as z.ZodType<Op, unknown>;
