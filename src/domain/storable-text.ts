/**
 * Text that both databases can store as it was sent. PostgreSQL's text type cannot hold U+0000
 * (SQLite can, so the two would answer differently), and a lone UTF-16 surrogate has no UTF-8
 * form: the drivers would silently store U+FFFD instead of what arrived. Invalid UTF-8 in a
 * request reaches us as lone surrogates (see http/text-input.ts), so this one rule covers it.
 */
const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

export function isStorableText(text: string): boolean {
  return !text.includes('\u0000') && !LONE_SURROGATE.test(text);
}
