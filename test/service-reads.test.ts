import { sql } from 'kysely';
import { expect, it } from 'vitest';
import { createTestService } from './support/api-server.js';
import { describeEachDatabase } from './support/databases.js';

describeEachDatabase(
  'the service an `add` reads (SQLite keeps it under the stamp of migration 022)',
  (db) => {
    it('is read afresh once another node has changed it, deleted it or added one', async () => {
      const service = await createTestService(db(), { rateUnits: 1000 });
      const reads = db().ctx.apiReads;
      expect((await reads.serviceById(service.id))?.rate_units).toBe(1000);
      expect((await reads.serviceById(service.id))?.rate_units).toBe(1000);
      const other = db().openAnother();
      try {
        await sql`update services set rate_units = 2500, is_active = 0 where id = ${service.id}`.execute(
          other.db,
        );
        expect(await reads.serviceById(service.id)).toMatchObject({ rate_units: 2500, is_active: 0 });
        const added = await createTestService(
          { ...db(), ctx: { ...db().ctx, db: other.db } },
          { rateUnits: 7 },
        );
        expect((await reads.serviceById(added.id))?.rate_units).toBe(7);
        await sql`delete from services where id = ${added.id}`.execute(other.db);
        expect(await reads.serviceById(added.id)).toBeUndefined();
      } finally {
        await other.close();
      }
    });

    it('never keeps a change that was rolled back, read while its transaction was open', async () => {
      const service = await createTestService(db(), { rateUnits: 1000 });
      const reads = db().ctx.apiReads;
      expect((await reads.serviceById(service.id))?.rate_units).toBe(1000);
      let during: ReturnType<typeof reads.serviceById> | undefined;
      await db()
        .ctx.db.transaction()
        .execute(async (trx) => {
          await sql`update services set rate_units = 9999 where id = ${service.id}`.execute(trx);
          // SQLite: the same connection, inside the transaction (as group commit interleaves).
          during = reads.serviceById(service.id);
          await new Promise((resolve) => setTimeout(resolve, 20));
          throw new Error('roll back');
        })
        .catch(() => {});
      expect((await during)?.rate_units).toBe(1000);
      expect((await reads.serviceById(service.id))?.rate_units).toBe(1000);
      await sql`update services set rate_units = 1500 where id = ${service.id}`.execute(db().ctx.db);
      expect((await reads.serviceById(service.id))?.rate_units).toBe(1500);
    });
  },
);
