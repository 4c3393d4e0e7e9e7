import { effectiveBackend } from '../domain/backends.js';
import { DomainError } from '../domain/errors.js';
import { type LedgerLine, listLedgerLines } from '../storage/ledger-repository.js';
import { type AdminOrderRow, findAdminOrder } from '../storage/orders-repository.js';
import type { ServiceRow } from '../storage/schema.js';
import { findService } from '../storage/services-repository.js';
import type { AppContext } from './context.js';
import { type CancelPreview, previewCancel } from './preview-cancel.js';

export interface AdminOrder {
  order: AdminOrderRow;
  service?: ServiceRow;
  /** The backend that delivers it: fixed on the order once the engine saw it, else the service's. */
  backend: string;
  ledger: LedgerLine[];
  /** What a cancel would refund now: the same preview the customer sees before confirming. */
  cancelPreview: CancelPreview;
}

/** One order for the admin, with its customer, its service and its ledger entries. */
export async function getAdminOrder(ctx: AppContext, options: { orderId: number }): Promise<AdminOrder> {
  const order = await findAdminOrder(ctx.db, options.orderId);
  if (!order) throw new DomainError('order_not_found', { orderId: options.orderId });
  const service = await findService(ctx.db, order.service_id);
  return {
    order,
    ...(service ? { service } : {}),
    backend: effectiveBackend(order.backend, service),
    ledger: await listLedgerLines(ctx.db, { orderId: order.id }),
    cancelPreview: await previewCancel(ctx, { accountId: order.account_id, orderId: order.id }),
  };
}
