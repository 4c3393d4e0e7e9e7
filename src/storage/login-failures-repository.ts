import type { Executor } from './schema.js';

export async function recordLoginFailure(
  db: Executor,
  failure: { email: string; ip: string; createdAt: number },
): Promise<void> {
  await db
    .insertInto('login_failures')
    .values({ email: failure.email, ip: failure.ip, created_at: failure.createdAt })
    .execute();
}

/** Failures since `sinceMs` for this email and for this address, counted apart. */
export async function countRecentLoginFailures(
  db: Executor,
  options: { email: string; ip: string; sinceMs: number },
): Promise<{ byEmail: number; byIp: number }> {
  const count = async (column: 'email' | 'ip', value: string) => {
    const row = await db
      .selectFrom('login_failures')
      .select((eb) => eb.fn.countAll<number | string>().as('n'))
      .where(column, '=', value)
      .where('created_at', '>', options.sinceMs)
      .executeTakeFirstOrThrow();
    return Number(row.n);
  };
  return { byEmail: await count('email', options.email), byIp: await count('ip', options.ip) };
}

/** A successful log-in clears the account's own failures, not the address's. */
export async function clearLoginFailuresForEmail(db: Executor, email: string): Promise<void> {
  await db.deleteFrom('login_failures').where('email', '=', email).execute();
}

export async function deleteOldLoginFailures(db: Executor, beforeMs: number): Promise<void> {
  await db.deleteFrom('login_failures').where('created_at', '<=', beforeMs).execute();
}
