import type { DaySpending } from '../../app/spending-by-day.js';
import { html, type SafeHtml } from '../html.js';
import { formatDay, formatMoney } from '../i18n/format.js';
import type { PageContext } from '../page-context.js';

const WIDTH = 640;
const HEIGHT = 240;
const PAD = { top: 24, right: 8, bottom: 28, left: 8 };

/** A bar per day, drawn on the server as SVG (no script, no inline style: the CSP allows it). */
export function spendingChart(page: PageContext, days: DaySpending[]): SafeHtml {
  const { t, lang } = page;
  const maxUnits = Math.max(1, ...days.map((d) => d.spendUnits));
  const totalUnits = days.reduce((sum, d) => sum + d.spendUnits, 0);
  const plotWidth = WIDTH - PAD.left - PAD.right;
  const plotHeight = HEIGHT - PAD.top - PAD.bottom;
  const slot = plotWidth / Math.max(1, days.length);
  const barWidth = Math.max(2, slot * 0.7);
  const bars = days.map((day, index) => {
    const units = Math.max(0, day.spendUnits);
    const height = units === 0 ? 0 : Math.max(2, (units / maxUnits) * plotHeight);
    const x = PAD.left + index * slot + (slot - barWidth) / 2;
    const y = PAD.top + plotHeight - height;
    const label = `${formatDay(lang, day.noonMs)}: ${formatMoney(lang, day.spendUnits)}`;
    // Every fifth day is labelled, ending on today; today's label ends at the edge, not past it.
    const isLast = index === days.length - 1;
    const labelX = isLast ? x + barWidth : x + barWidth / 2;
    const tick =
      index % 5 === (days.length - 1) % 5
        ? html`<text class="${(days.length - 1 - index) % 10 === 0 ? 'tick' : 'tick tick-minor'}" x="${labelX.toFixed(1)}" y="${HEIGHT - 8}" text-anchor="${isLast ? 'end' : 'middle'}">${formatDay(lang, day.noonMs)}</text>`
        : '';
    return html`<rect class="bar" x="${x.toFixed(1)}" y="${y.toFixed(1)}" width="${barWidth.toFixed(1)}" height="${height.toFixed(1)}" rx="2"><title>${label}</title></rect>${tick}`;
  });
  const baseline = PAD.top + plotHeight;
  return html`<figure class="chart">
    <svg viewBox="0 0 ${WIDTH} ${HEIGHT}" role="img" aria-labelledby="chart-title chart-desc" focusable="false">
      <title id="chart-title">${t.dashboard.spendingTitle}</title>
      <desc id="chart-desc">${t.dashboard.spendingTotal(formatMoney(lang, totalUnits))}</desc>
      <line class="axis" x1="${PAD.left}" y1="${baseline}" x2="${WIDTH - PAD.right}" y2="${baseline}"></line>
      ${
        totalUnits === 0
          ? ''
          : html`<line class="axis grid-line" x1="${PAD.left}" y1="${PAD.top}" x2="${WIDTH - PAD.right}" y2="${PAD.top}"></line>
      <text x="${PAD.left}" y="${PAD.top - 4}">${formatMoney(lang, maxUnits)}</text>`
      }
      ${bars}
    </svg>
    <figcaption class="muted small">${
      totalUnits === 0 ? t.dashboard.spendingEmpty : t.dashboard.spendingTotal(formatMoney(lang, totalUnits))
    }</figcaption>
  </figure>`;
}
