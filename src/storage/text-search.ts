import { sql } from 'kysely';

/** What the search boxes of the lists share: the page window and a literal substring match. */

export interface PageWindow {
  limit: number;
  offset: number;
}

/** `lower(column) like '%text%'` with LIKE's own wildcards in the text matched literally. */
export function containsText(column: string, text: string) {
  const pattern = `%${text.toLowerCase().replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
  // ESCAPE is spelled out: SQLite has no default escape character, PostgreSQL's is '\'.
  return sql<boolean>`lower(${sql.ref(column)}) like ${pattern} escape '\\'`;
}

export const asId = (text: string) => (/^\d{1,15}$/.test(text) ? Number(text) : undefined);
