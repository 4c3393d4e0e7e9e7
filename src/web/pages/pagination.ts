import { html, type SafeHtml } from '../html.js';
import type { PageContext } from '../page-context.js';

/** Previous / next links keeping the other query parameters. */
export function pagination(
  page: PageContext,
  options: { path: string; query: Record<string, string>; page: number; pageCount: number },
): SafeHtml {
  if (options.pageCount <= 1) return html``;
  const { t } = page;
  const link = (target: number) => {
    const params = new URLSearchParams({ ...options.query, page: String(target) });
    return `${options.path}?${params.toString()}`;
  };
  return html`<nav class="pagination" aria-label="${t.common.page(options.page, options.pageCount)}">
    ${options.page > 1 ? html`<a class="button button-small" href="${link(options.page - 1)}" rel="prev">← ${t.common.previous}</a>` : html`<span></span>`}
    <span class="muted small">${t.common.page(options.page, options.pageCount)}</span>
    ${options.page < options.pageCount ? html`<a class="button button-small" href="${link(options.page + 1)}" rel="next">${t.common.next} →</a>` : html`<span></span>`}
  </nav>`;
}
