import { expect, it } from 'vitest';
import { createAccount } from '../src/app/create-account.js';
import { listAuditLog } from '../src/app/list-audit-log.js';
import { updateServiceFields } from '../src/app/save-service.js';
import { setAccountStatus } from '../src/app/set-account-status.js';
import { appendAudit } from '../src/storage/audit-repository.js';
import { type Lang, messagesFor } from '../src/web/i18n/index.js';
import type { PageContext } from '../src/web/page-context.js';
import { adminAuditPage } from '../src/web/pages/admin-audit-page.js';
import { createTestService, LIKES_SERVICE } from './support/api-server.js';
import { describeEachDatabase } from './support/databases.js';

function pageIn(lang: Lang): PageContext {
  return {
    lang,
    t: messagesFor(lang),
    csrfToken: 'x',
    path: '/admin/audit',
    langUrl: () => '/',
    asset: (n) => n,
  };
}

/** The sentence of the newest entry of one action, as the admin reads it. */
function sentencesOf(html: string): string[] {
  return [...html.matchAll(/<p class="audit-sentence">([\s\S]*?)<\/p>/g)].map((m) =>
    (m[1] ?? '')
      .replace(/<[^>]+>/g, '')
      .replace(/&amp;/g, '&')
      .replace(/\s+/g, ' ')
      .trim(),
  );
}

describeEachDatabase('audit log as sentences', (db) => {
  async function newest(action: string, lang: Lang): Promise<string> {
    const result = await listAuditLog(db().ctx, { action });
    const page = adminAuditPage(
      pageIn(lang),
      { ...result, rows: result.rows.slice(0, 1) },
      { actor: '', action: '', account: '' },
    );
    return sentencesOf(page.value)[0] ?? '';
  }

  it('reads a service price change, an order status change and a suspension as sentences, in both languages', async () => {
    const ctx = db().ctx;
    const service = await createTestService(db(), {}, 901);
    await updateServiceFields(ctx, {
      id: service.id,
      fields: { ...LIKES_SERVICE, rateUnits: 40_000 },
      actor: 'web:boss@example.com',
    });
    expect(await newest('service.update', 'it')).toBe(
      'web:boss@example.com ha modificato il servizio #901: prezzo/1000: 3,5000 € → 4,0000 €.',
    );
    expect(await newest('service.update', 'en')).toBe(
      'web:boss@example.com changed the service #901: rate/1000: €3.5000 → €4.0000.',
    );

    const email = `sentences-${Date.now()}@example.com`;
    const account = await createAccount(ctx, { email, password: 'correct horse battery' });
    await setAccountStatus(ctx, {
      accountId: account.id,
      status: 'suspended',
      actor: 'web:boss@example.com',
    });
    expect(await newest('account.suspend', 'it')).toBe(
      `web:boss@example.com ha sospeso l’account ${email}: stato: Attivo → Sospeso.`,
    );
    expect(await newest('account.suspend', 'en')).toBe(
      `web:boss@example.com suspended the account ${email}: status: Active → Suspended.`,
    );

    // An entry written before `{from, to}`: its Before/After pair still reads as one change.
    await appendAudit(ctx.db, {
      actor: 'web:boss@example.com',
      action: 'order.cancel',
      targetAccountId: account.id,
      details: { orderId: 77, statusBefore: 'In progress', statusAfter: 'Partial', refund: '0.8000' },
      createdAt: ctx.clock.now(),
    });
    expect(await newest('order.cancel', 'it')).toBe(
      'web:boss@example.com ha annullato l’ordine #77: stato: In corso → Parziale, rimborso: 0,8000 €.',
    );
    expect(await newest('order.cancel', 'en')).toBe(
      'web:boss@example.com canceled the order #77: status: In progress → Partial, refund: €0.8000.',
    );
  });
});
