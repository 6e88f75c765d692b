/**
 * PostgreSQL-specific row handling (the shared row shapes are in rows.ts).
 *
 * bigint columns arrive as JS numbers: the store's pool parses int8 with `parseSafeInteger`
 * (pg's default would hand out strings). Every value the store writes was checked to be a safe
 * integer, so a value outside that range means the table was written by something else, and we
 * refuse it rather than round it.
 */
/** The int8 parser installed on the store's pool. */
export function parseSafeInteger(text: string): number {
  const value = Number(text);
  if (!Number.isSafeInteger(value)) {
    throw new RangeError(`bigint ${text} read from PostgreSQL is outside the safe integer range`);
  }
  return value;
}
