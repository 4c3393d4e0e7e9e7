import type { ServiceRow } from '../../app/list-all-services.js';
import { type BandTiming, TIMING_MIN_ORDERS, TIMING_SAMPLE_SIZE } from '../../domain/service-timing.js';
import { html, type SafeHtml } from '../html.js';
import { formatInteger, type Lang } from '../i18n/format.js';
import { orderPageMessages } from '../i18n/order-page.js';
import type { PageContext } from '../page-context.js';

const MINUTE_MS = 60_000;

/** "12 min", "2 h 5 min", "1 g 3 h": rounded to the minute, the precision a median deserves. */
export function formatDuration(lang: Lang, ms: number): string {
  const m = orderPageMessages(lang).timing;
  const totalMinutes = Math.round(ms / MINUTE_MS);
  if (totalMinutes < 1) return m.underMinute;
  if (totalMinutes < 60) return m.minutes(totalMinutes);
  const totalHours = Math.floor(totalMinutes / 60);
  if (totalHours < 24) return m.hours(totalHours, totalMinutes % 60);
  return m.days(Math.floor(totalHours / 24), totalHours % 24);
}

/** The operator's description in the page's language, or in the other one if only that is written. */
export function serviceDescription(
  lang: Lang,
  service: Pick<ServiceRow, 'description_it' | 'description_en'>,
): string {
  const own = lang === 'en' ? service.description_en : service.description_it;
  const other = lang === 'en' ? service.description_it : service.description_en;
  return own?.trim() || other?.trim() || '';
}

/** The average time per quantity band, or "not enough data yet" with the count and the threshold. */
export function timingFigures(page: PageContext, timings: readonly BandTiming[]): SafeHtml {
  const m = orderPageMessages(page.lang).timing;
  const whole = (n: number) => formatInteger(page.lang, n);
  return html`<ul class="timing-list">${timings.map(
    (t) =>
      html`<li><span class="muted">${m.bands[t.band.id]}:</span> ${
        t.medianMs === undefined
          ? html`<span class="timing-none">${m.notEnough(whole(t.orderCount), whole(TIMING_MIN_ORDERS))}</span>`
          : html`<strong class="nowrap">≈ ${formatDuration(page.lang, t.medianMs)}</strong>`
      }</li>`,
  )}</ul>`;
}

/** One sentence saying what the figure is: the sample size and the threshold. */
export function timingExplanation(page: PageContext): string {
  const whole = (n: number) => formatInteger(page.lang, n);
  return orderPageMessages(page.lang).timing.explain(whole(TIMING_SAMPLE_SIZE), whole(TIMING_MIN_ORDERS));
}
