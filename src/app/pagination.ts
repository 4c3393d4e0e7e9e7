/**
 * One page of a list, for every list of the panel (admin and customer): the same field names and
 * the same rule for a page number out of range, so a page never reinvents its paging.
 */
export interface Paged<T> {
  rows: T[];
  total: number;
  /** The page shown, from 1. */
  page: number;
  /** At least 1, so an empty list still has its one (empty) page. */
  pageCount: number;
}

export const ADMIN_PAGE_SIZE = 25;

export interface PageWindow {
  page: number;
  limit: number;
  offset: number;
}

/** Page numbers start at 1; anything else reads as the first page; with a total, past the end reads as the last. */
export function pageWindow(page: number, pageSize: number, total?: number): PageWindow {
  const wanted = Number.isSafeInteger(page) && page >= 1 ? page : 1;
  const last = total === undefined ? wanted : pageCountOf(total, pageSize);
  const current = Math.min(wanted, last);
  return { page: current, limit: pageSize, offset: (current - 1) * pageSize };
}

function pageCountOf(total: number, pageSize: number): number {
  return Math.max(1, Math.ceil(total / pageSize));
}

/** One page of a list; a page past the end (an old link) shows the last page instead. */
export async function fetchPage<T>(
  page: number | undefined,
  fetch: (window: { limit: number; offset: number }) => Promise<{ rows: T[]; total: number }>,
  pageSize: number = ADMIN_PAGE_SIZE,
): Promise<Paged<T>> {
  const window = pageWindow(page ?? 1, pageSize);
  const result = await fetch(window);
  if (result.rows.length > 0 || result.total === 0 || window.page === 1) {
    return { ...result, page: window.page, pageCount: pageCountOf(result.total, pageSize) };
  }
  const last = pageWindow(window.page, pageSize, result.total);
  const lastResult = await fetch(last);
  return { ...lastResult, page: last.page, pageCount: pageCountOf(lastResult.total, pageSize) };
}
