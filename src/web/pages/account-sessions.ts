import type { SignedInDevice } from '../../app/list-web-sessions.js';
import { csrfField } from '../components.js';
import { html, type SafeHtml } from '../html.js';
import { formatDateTime } from '../i18n/format.js';
import type { PageContext } from '../page-context.js';

const SHOWN_USER_AGENT_LENGTH = 80;

function deviceName(page: PageContext, device: SignedInDevice): string {
  const agent = device.userAgent?.trim();
  if (!agent) return page.t.sessions.unknownDevice;
  return agent.length > SHOWN_USER_AGENT_LENGTH ? `${agent.slice(0, SHOWN_USER_AGENT_LENGTH)}…` : agent;
}

/** The account's signed-in devices, with a button that ends every session but this one. */
export function accountSessionsCard(page: PageContext, devices: readonly SignedInDevice[]): SafeHtml {
  const { t, lang } = page;
  const s = t.sessions;
  const rows = devices.map(
    (device) => html`<tr>
      <td data-label="${s.device}"><span class="device-cell">${deviceName(page, device)}${
        device.isCurrent ? html` <span class="badge badge-Completed">${s.current}</span>` : ''
      }<br><span class="muted">${s.address}: ${device.ip ?? '—'}</span></span></td>
      <td data-label="${s.created}">${formatDateTime(lang, device.createdAt)}</td>
      <td data-label="${s.lastSeen}">${formatDateTime(lang, device.lastSeenAt)}</td>
    </tr>`,
  );
  const hasOthers = devices.some((device) => !device.isCurrent);
  return html`<section class="card" id="sessions">
    <h2>${s.title}</h2>
    <p class="muted">${s.hint}</p>
    <div class="table-wrap"><table class="responsive">
      <thead><tr><th scope="col">${s.device}</th>
      <th scope="col">${s.created}</th><th scope="col">${s.lastSeen}</th></tr></thead>
      <tbody>${rows}</tbody></table></div>
    ${
      hasOthers
        ? html`<form method="post" action="/account/sessions/sign-out-others">
        ${csrfField(page)}
        <button type="submit" class="button button-danger">${s.signOutOthers}</button>
      </form>`
        : html`<p class="muted">${s.noOthers}</p>`
    }
  </section>`;
}
