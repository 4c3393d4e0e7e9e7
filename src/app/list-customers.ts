import { type CustomerListRow, searchAccounts } from '../storage/accounts-repository.js';
import type { AppContext } from './context.js';
import { fetchPage, type Paged } from './pagination.js';

export type { CustomerListRow };

/** The admin's customer search: by id or part of the email, optionally by status. */
export async function listCustomers(
  ctx: AppContext,
  options: { search?: string; status?: string; page?: number },
): Promise<Paged<CustomerListRow>> {
  const status = options.status === 'active' || options.status === 'suspended' ? options.status : undefined;
  const filter = { ...(options.search ? { search: options.search } : {}), ...(status ? { status } : {}) };
  return fetchPage(options.page, (window) => searchAccounts(ctx.db, filter, window));
}
