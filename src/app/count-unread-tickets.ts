import type { AccountRole } from '../storage/schema.js';
import { countUnreadTickets } from '../storage/support-repository.js';
import type { AppContext } from './context.js';

/** The navigation's badges: the account's own tickets with an unread answer, and for an admin the desk's. */
export async function countUnreadTicketsFor(
  ctx: AppContext,
  options: { accountId: number; role: AccountRole },
): Promise<{ own: number; desk: number }> {
  const own = await countUnreadTickets(ctx.db, { side: 'customer', accountId: options.accountId });
  const desk = options.role === 'admin' ? await countUnreadTickets(ctx.db, { side: 'staff' }) : 0;
  return { own, desk };
}
