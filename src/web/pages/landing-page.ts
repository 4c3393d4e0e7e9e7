import { DISCOUNT_TIERS } from '../../domain/pricing.js';
import { html, type SafeHtml } from '../html.js';
import { formatAmount } from '../i18n/format.js';
import { layout } from '../layout.js';
import type { PageContext } from '../page-context.js';

export function tierCards(page: PageContext, currentTier?: string): SafeHtml {
  return html`<div class="tiers">${DISCOUNT_TIERS.map(
    (tier) => html`<div class="tier${tier.name === currentTier ? ' is-current' : ''}">
      <span class="muted small">${tier.name}</span>
      <strong>${tier.percent === 0 ? '0%' : `−${tier.percent}%`}</strong>
      <span class="small">${page.t.landing.from(formatAmount(page.lang, tier.fromUnits))}</span>
    </div>`,
  )}</div>`;
}

export function landingPage(page: PageContext): SafeHtml {
  const { t } = page;
  const l = t.landing;
  const features = [
    ['API', l.f1Title, l.f1Text],
    ['€', l.f2Title, l.f2Text],
    ['%', l.f3Title, l.f3Text],
  ] as const;
  return layout(page, {
    title: l.title,
    body: html`<section class="hero">
      <span class="eyebrow">${l.eyebrow}</span>
      <h1>${l.headline}</h1>
      <p class="lead">${l.lead}</p>
      <div class="actions">
        <a class="button button-primary" href="${page.account ? '/dashboard' : '/signup'}">${page.account ? t.nav.dashboard : l.ctaSignup}</a>
        <a class="button" href="/docs">${l.ctaDocs}</a>
      </div>
    </section>
    <section aria-labelledby="features-title">
      <h2 id="features-title" class="visually-hidden">${l.featuresTitle}</h2>
      <div class="grid grid-3">${features.map(
        ([icon, title, text]) => html`<article class="card feature">
          <span class="feature-icon" aria-hidden="true">${icon}</span>
          <h3>${title}</h3><p class="muted">${text}</p></article>`,
      )}</div>
    </section>
    <section class="card" aria-labelledby="tiers-title">
      <h2 id="tiers-title">${l.tiersTitle}</h2>
      <p class="muted">${l.tiersLead}</p>
      ${tierCards(page)}
    </section>`,
  });
}
