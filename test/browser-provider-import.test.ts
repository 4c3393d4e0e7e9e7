import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addProvider } from '../src/app/add-provider.js';
import { createAccount } from '../src/app/create-account.js';
import { listServicesOfProvider } from '../src/storage/providers-repository.js';
import type { ServiceRow } from '../src/storage/schema.js';
import {
  type BrowserEnv,
  DESKTOP,
  PHONE,
  screenshot,
  startBrowserEnv,
  watchPageErrors,
} from './support/browser.js';
import { englishWordsIn } from './support/english-words.js';
import { FakeProvider } from './support/fake-provider.js';
import { enrolSecondFactor, nextSecondFactorCode, type TestSecondFactor } from './support/two-factor.js';

const PASSWORD = 'correct horse battery';
const HOSTILE = '<img src=x onerror=alert(1)>';
const TEXT = {
  it: {
    login: 'Accedi',
    import: 'Importa i servizi',
    confirm: 'Importa i selezionati e applica le modifiche scelte',
    activate: 'Attiva',
    activateSelected: 'Attiva i selezionati',
    pause: 'Sospendi i selezionati',
    done: 'Importazione eseguita: 2 nuovi servizi (disattivati)',
  },
  en: {
    login: 'Log in',
    import: 'Import services',
    confirm: 'Import the chosen services and apply the chosen changes',
    activate: 'Activate',
    activateSelected: 'Activate the selected',
    pause: 'Pause the selected',
    done: 'Import done: 2 new services (inactive)',
  },
} as const;

/** Names a reader would not take for English: the Italian page is checked for English words. */
const catalog = () => [
  { service: 41, name: 'Mi piace Italia', category: 'Likes', rate: '1.00', min: 10, max: 5000 },
  {
    service: 42,
    name: 'Mi piace veloci',
    category: 'Likes',
    rate: '1.50',
    min: 10,
    max: 5000,
    refill: true,
  },
  { service: 43, name: 'Seguaci', category: 'Followers', rate: '2', min: 50, max: 5000 },
  { service: 44, name: HOSTILE, category: 'Likes', rate: 'gratis', min: 1, max: 10 },
];

async function logIn(
  page: Page,
  baseUrl: string,
  email: string,
  lang: 'it' | 'en',
  factor: TestSecondFactor,
) {
  await page.goto(`${baseUrl}/login?lang=${lang}`);
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Password').fill(PASSWORD);
  await page.getByRole('button', { name: TEXT[lang].login }).click();
  await page.waitForURL('**/login/code');
  await page.locator('#code').fill(nextSecondFactorCode(factor, Date.now()));
  await page.locator('form[action="/login/code"] button[type="submit"]').click();
  await page.waitForURL('**/admin');
}

/** The rendered text of the page's main part (words kept apart), for the English-words check. */
const mainText = async (page: Page) => (await page.locator('main').allInnerTexts()).join(' ');

async function expectNoSideScroll(page: Page) {
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  expect(overflow).toBeLessThanOrEqual(0);
}

for (const [lang, viewport] of [
  ['it', PHONE],
  ['en', DESKTOP],
] as const) {
  describe(`selective provider import in the browser (${lang}, ${viewport.width} px)`, () => {
    let env: BrowserEnv;
    let page: Page;
    let errors: string[];
    const upstream = new FakeProvider('import-browser-key-123456');
    const name = `imp${lang}`;
    const services = async () =>
      new Map<string, ServiceRow>(
        (await listServicesOfProvider(env.ctx.db, name)).map((s) => [s.upstream_service_id ?? '', s]),
      );
    const preview = async (markup: string) => {
      await page.goto(`${env.baseUrl}/admin/providers`);
      const row = page.locator(`tr[data-provider="${name}"]`);
      await row.locator('input[name="markup"]').fill(markup);
      await row.getByRole('button', { name: TEXT[lang].import }).click();
      await page.getByTestId('import-catalog').waitFor();
    };

    beforeAll(async () => {
      env = await startBrowserEnv();
      await upstream.start();
      upstream.services = catalog();
      const email = `importer-${lang}@example.com`;
      const admin = await createAccount(env.ctx, { email, password: PASSWORD, role: 'admin' });
      const factor = await enrolSecondFactor(env.ctx, admin.id);
      await addProvider(env.ctx, { name, url: upstream.url, apiKey: upstream.apiKey, actor: 't' });
      ({ page } = await env.newPage(viewport));
      page.setDefaultTimeout(30_000);
      errors = watchPageErrors(page);
      await logIn(page, env.baseUrl, email, lang, factor);
    }, 120_000);
    afterAll(async () => {
      await upstream.stop();
      await env?.close();
    });

    it('previews the live catalog, ticks a category and imports it inactive', async () => {
      await preview('30');
      expect(await page.locator('[data-upstream-id="41"]').textContent()).toContain('1.00');
      // The hostile row is refused and shown as text, never as markup.
      expect(await page.getByTestId('import-refused').textContent()).toContain(HOSTILE);
      expect(await page.locator('main img').count()).toBe(0);
      if (lang === 'it') expect(englishWordsIn(await mainText(page))).toEqual([]);
      await expectNoSideScroll(page);
      await screenshot(page, 'import-preview');
      await page.locator('input[data-select-all]').first().check();
      expect(await page.locator('#pick-41').isChecked()).toBe(true);
      expect(await page.locator('#pick-42').isChecked()).toBe(true);
      expect(await page.locator('#pick-43').isChecked()).toBe(false);
      expect(await listServicesOfProvider(env.ctx.db, name)).toEqual([]);
      await page.getByRole('button', { name: TEXT[lang].confirm }).click();
      await page.waitForURL(/\/imported\?created=2/);
      expect(await page.locator('.notice-success').textContent()).toContain(TEXT[lang].done);
      const imported = await services();
      expect([...imported.keys()].sort()).toEqual(['41', '42']);
      expect([...imported.values()].map((s) => s.is_active)).toEqual([0, 0]);
      if (lang === 'it') expect(englishWordsIn(await mainText(page))).toEqual([]);
      await expectNoSideScroll(page);
      await screenshot(page, 'import-awaiting');
    }, 120_000);

    it('activates one service with a confirmed link type, then the rest in bulk', async () => {
      const first = (await services()).get('41');
      const second = (await services()).get('42');
      await page.locator(`#linkType-${first?.id}`).selectOption('reel_url');
      await page
        .locator(`tr[data-service-id="${first?.id}"]`)
        .getByRole('button', { name: TEXT[lang].activate, exact: true })
        .click();
      await page.waitForURL(/activated=1/);
      expect((await services()).get('41')).toMatchObject({ is_active: 1, link_type: 'reel_url' });
      expect((await services()).get('42')?.is_active).toBe(0);
      await page.locator(`tr[data-service-id="${second?.id}"] input[name="service"]`).check();
      await page.getByRole('button', { name: TEXT[lang].activateSelected }).click();
      await page.waitForURL(/activated=1/);
      expect((await services()).get('42')?.is_active).toBe(1);
    }, 120_000);

    it('shows a re-import’s differences, applies the chosen one and pauses a service gone upstream', async () => {
      upstream.services = [
        {
          service: 41,
          name: 'Mi piace Italia',
          category: 'Likes',
          rate: '1.20',
          min: 20,
          max: 5000,
        },
        { service: 43, name: 'Seguaci', category: 'Followers', rate: '2', min: 50, max: 5000 },
      ];
      await preview('30');
      const differences = page.getByTestId('import-differences');
      expect(await differences.textContent()).toContain('1.00 EUR → 1.20 EUR');
      expect(await page.getByTestId('import-gone').textContent()).toContain('Mi piace veloci');
      if (lang === 'it') expect(englishWordsIn(await mainText(page))).toEqual([]);
      await expectNoSideScroll(page);
      await screenshot(page, 'import-differences');
      await differences.locator('input[name="apply"]').check();
      await page.getByRole('button', { name: TEXT[lang].confirm }).click();
      await page.waitForURL(/updated=1/);
      expect((await services()).get('41')).toMatchObject({
        rate_units: 15_600,
        min_quantity: 20,
        is_active: 1,
      });
      await preview('30');
      expect(await page.getByTestId('import-differences').count()).toBe(0);
      await page.getByTestId('import-gone').locator('input[name="service"]').check();
      await page.getByRole('button', { name: TEXT[lang].pause }).click();
      await page.waitForURL(/paused=1/);
      expect((await services()).get('42')?.is_active).toBe(0);
    }, 120_000);

    it('raised no console error, CSP violation or unexpected dialog', () => {
      expect(errors).toEqual([]);
    });
  });
}
