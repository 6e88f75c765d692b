/**
 * URL-safe slugs for ids derived from human text: lower case ASCII letters, digits and dashes.
 * Accents are folded ("Développeur" -> "developpeur"); other scripts are dropped, so callers must
 * handle an empty result.
 */
export function slugify(text: string, maxLength = 48): string {
  return text
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, maxLength)
    .replace(/-+$/, '');
}
