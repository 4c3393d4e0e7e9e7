import { type Kysely, type Migration, sql } from 'kysely';
import type { DatabaseKind } from '../connection.js';
import { idColumn } from './001-initial.js';

/**
 * The support desk: a ticket per conversation between a customer and the operator, its messages
 * (append-only text), and per-side read markers. The markers are message ids, not times: two
 * messages in the same millisecond still order, so "unread" is `last message of the other side
 * > my marker` on both databases.
 */
export function supportDeskMigration(kind: DatabaseKind): Migration {
  return {
    async up(db: Kysely<unknown>) {
      const id = idColumn(kind);
      await db.schema
        .createTable('support_tickets')
        .addColumn('id', id, (c) => (kind === 'sqlite' ? c.primaryKey().autoIncrement() : c.primaryKey()))
        .addColumn('account_id', 'bigint', (c) => c.notNull().references('accounts.id'))
        .addColumn('order_id', 'bigint', (c) => c.references('orders.id'))
        .addColumn('subject', 'text', (c) => c.notNull())
        .addColumn('status', 'text', (c) => c.notNull().check(sql`status in ('open', 'answered', 'closed')`))
        .addColumn('created_at', 'bigint', (c) => c.notNull())
        .addColumn('last_activity_at', 'bigint', (c) => c.notNull())
        .addColumn('last_customer_message_id', 'bigint', (c) => c.notNull().defaultTo(0))
        .addColumn('last_staff_message_id', 'bigint', (c) => c.notNull().defaultTo(0))
        .addColumn('customer_read_message_id', 'bigint', (c) => c.notNull().defaultTo(0))
        .addColumn('staff_read_message_id', 'bigint', (c) => c.notNull().defaultTo(0))
        .execute();
      await db.schema
        .createIndex('support_tickets_account')
        .on('support_tickets')
        .columns(['account_id', 'last_activity_at'])
        .execute();
      await db.schema
        .createIndex('support_tickets_activity')
        .on('support_tickets')
        .columns(['status', 'last_activity_at'])
        .execute();
      await db.schema
        .createIndex('support_tickets_latest')
        .on('support_tickets')
        .columns(['last_activity_at', 'id'])
        .execute();
      await db.schema
        .createTable('support_messages')
        .addColumn('id', id, (c) => (kind === 'sqlite' ? c.primaryKey().autoIncrement() : c.primaryKey()))
        .addColumn('ticket_id', 'bigint', (c) => c.notNull().references('support_tickets.id'))
        .addColumn('author', 'text', (c) => c.notNull().check(sql`author in ('customer', 'staff')`))
        .addColumn('author_account_id', 'bigint', (c) => c.notNull().references('accounts.id'))
        .addColumn('body', 'text', (c) => c.notNull())
        .addColumn('created_at', 'bigint', (c) => c.notNull())
        .execute();
      await db.schema
        .createIndex('support_messages_ticket')
        .on('support_messages')
        .columns(['ticket_id', 'id'])
        .execute();
      // The per-customer rate limit counts a customer's own recent messages.
      await db.schema
        .createIndex('support_messages_author')
        .on('support_messages')
        .columns(['author_account_id', 'created_at'])
        .execute();
    },
  };
}
