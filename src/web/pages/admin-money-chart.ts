import type { DayMoney } from '../../app/get-admin-overview.js';
import { html, type SafeHtml } from '../html.js';
import { formatDay, formatMoney } from '../i18n/format.js';
import type { PageContext } from '../page-context.js';
import { am } from './admin-common.js';

const WIDTH = 640;
const HEIGHT = 220;
const PAD = { top: 16, right: 8, bottom: 28, left: 8 };

/** A day's label under its bars; near an edge it is anchored inward so it is never cut off. */
function dayLabel(x: number, when: string): SafeHtml {
  const anchor = x < PAD.left + 40 ? 'start' : x > WIDTH - PAD.right - 40 ? 'end' : 'middle';
  const at = anchor === 'start' ? PAD.left : anchor === 'end' ? WIDTH - PAD.right : x;
  return html`<text x="${at.toFixed(1)}" y="${HEIGHT - 8}" text-anchor="${anchor}">${when}</text>`;
}

/**
 * Revenue and refunds side by side for each day, drawn on the server as SVG like the
 * customer's spending chart (spending-chart.ts draws one series; this one needs two).
 */
export function adminMoneyChart(page: PageContext, days: DayMoney[]): SafeHtml {
  const { lang } = page;
  const m = am(page).overview;
  const maxUnits = Math.max(1, ...days.map((d) => Math.max(d.revenueUnits, d.refundUnits)));
  const revenue = days.reduce((sum, d) => sum + d.revenueUnits, 0);
  const refunds = days.reduce((sum, d) => sum + d.refundUnits, 0);
  const plotWidth = WIDTH - PAD.left - PAD.right;
  const plotHeight = HEIGHT - PAD.top - PAD.bottom;
  const slot = plotWidth / Math.max(1, days.length);
  const barWidth = Math.max(1, slot * 0.36);
  const bar = (units: number, x: number, css: string, label: string) => {
    const height = units <= 0 ? 0 : Math.max(2, (units / maxUnits) * plotHeight);
    const y = PAD.top + plotHeight - height;
    return html`<rect class="${css}" x="${x.toFixed(1)}" y="${y.toFixed(1)}" width="${barWidth.toFixed(1)}" height="${height.toFixed(1)}" rx="1.5"><title>${label}</title></rect>`;
  };
  const bars = days.map((day, index) => {
    const left = PAD.left + index * slot + (slot - 2 * barWidth) / 2;
    const when = formatDay(lang, day.noonMs);
    const tick = index % 5 === (days.length - 1) % 5 ? dayLabel(left + barWidth, when) : '';
    return html`${bar(day.revenueUnits, left, 'bar', `${when} · ${m.legendRevenue}: ${formatMoney(lang, day.revenueUnits)}`)}${bar(
      day.refundUnits,
      left + barWidth,
      'bar bar-refund',
      `${when} · ${m.legendRefunds}: ${formatMoney(lang, day.refundUnits)}`,
    )}${tick}`;
  });
  const baseline = PAD.top + plotHeight;
  const isEmpty = revenue === 0 && refunds === 0;
  return html`<figure class="chart admin-chart">
    <svg viewBox="0 0 ${WIDTH} ${HEIGHT}" role="img" aria-labelledby="money-chart-title money-chart-desc" focusable="false">
      <title id="money-chart-title">${m.chartTitle}</title>
      <desc id="money-chart-desc">${m.chartDesc(formatMoney(lang, revenue), formatMoney(lang, refunds))}</desc>
      <line class="axis" x1="${PAD.left}" y1="${baseline}" x2="${WIDTH - PAD.right}" y2="${baseline}"></line>
      ${bars}
    </svg>
    <figcaption class="muted small">
      <span class="legend legend-revenue">${m.legendRevenue}</span>
      <span class="legend legend-refund">${m.legendRefunds}</span>
      ${isEmpty ? html` · ${m.chartEmpty}` : html` · max ${formatMoney(lang, maxUnits)}`}
    </figcaption>
  </figure>`;
}
