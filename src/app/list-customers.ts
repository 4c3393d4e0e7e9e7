import { type CustomerListRow, searchAccounts } from '../storage/admin-queries.js';
import type { AppContext } from './context.js';

export const ADMIN_PAGE_SIZE = 25;

export interface Paged<T> {
  rows: T[];
  total: number;
  page: number;
  pages: number;
}

/** Page numbers start at 1; anything else reads as the first page. */
export function pageWindow(page: number, total?: number): { page: number; limit: number; offset: number } {
  const wanted = Number.isSafeInteger(page) && page >= 1 ? page : 1;
  const last = total === undefined ? wanted : Math.max(1, Math.ceil(total / ADMIN_PAGE_SIZE));
  const current = Math.min(wanted, last);
  return { page: current, limit: ADMIN_PAGE_SIZE, offset: (current - 1) * ADMIN_PAGE_SIZE };
}

export function paged<T>(result: { rows: T[]; total: number }, page: number): Paged<T> {
  return { ...result, page, pages: Math.max(1, Math.ceil(result.total / ADMIN_PAGE_SIZE)) };
}

/** One page of a list; a page past the end (an old link) shows the last page instead. */
export async function fetchPage<T>(
  page: number | undefined,
  fetch: (window: { limit: number; offset: number }) => Promise<{ rows: T[]; total: number }>,
): Promise<Paged<T>> {
  const window = pageWindow(page ?? 1);
  const result = await fetch(window);
  if (result.rows.length > 0 || result.total === 0 || window.page === 1) return paged(result, window.page);
  const last = pageWindow(window.page, result.total);
  return paged(await fetch(last), last.page);
}

/** The admin's customer search: by id or part of the email, optionally by status. */
export async function listCustomers(
  ctx: AppContext,
  options: { search?: string; status?: string; page?: number },
): Promise<Paged<CustomerListRow>> {
  const status = options.status === 'active' || options.status === 'suspended' ? options.status : undefined;
  const filter = { ...(options.search ? { search: options.search } : {}), ...(status ? { status } : {}) };
  return fetchPage(options.page, (window) => searchAccounts(ctx.db, filter, window));
}
