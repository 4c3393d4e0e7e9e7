import type { Updateable } from 'kysely';
import type { Executor, OrderRunRow, OrderRunsTable } from './schema.js';

export async function insertOrderRuns(
  db: Executor,
  orderId: number,
  runs: ReadonlyArray<{ runNumber: number; quantity: number; dueAt: number }>,
): Promise<void> {
  if (runs.length === 0) return;
  await db
    .insertInto('order_runs')
    .values(
      runs.map((run) => ({
        order_id: orderId,
        run_number: run.runNumber,
        quantity: run.quantity,
        due_at: run.dueAt,
        status: 'waiting' as const,
      })),
    )
    .execute();
}

export function findOrderRuns(db: Executor, orderId: number): Promise<OrderRunRow[]> {
  return db
    .selectFrom('order_runs')
    .selectAll()
    .where('order_id', '=', orderId)
    .orderBy('run_number')
    .execute();
}

export async function updateOrderRun(
  db: Executor,
  orderId: number,
  runNumber: number,
  patch: Omit<Updateable<OrderRunsTable>, 'order_id' | 'run_number'>,
): Promise<void> {
  await db
    .updateTable('order_runs')
    .set(patch)
    .where('order_id', '=', orderId)
    .where('run_number', '=', runNumber)
    .execute();
}
