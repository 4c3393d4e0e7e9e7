import { API_PROFILES, type ApiProfile } from '../../domain/api-profile.js';
import { csrfField } from '../components.js';
import { attr, html, type SafeHtml } from '../html.js';
import { apiProfileMessages } from '../i18n/api-profile.js';
import type { PageContext } from '../page-context.js';

/**
 * The choice of the API compatibility profile (contract §13), with the sentence on when to
 * choose which: the customer's dashboard and the admin's customer page post it to `action`.
 */
export function apiProfileForm(
  page: PageContext,
  options: { action: string; profile: ApiProfile },
): SafeHtml {
  const m = apiProfileMessages(page.lang);
  return html`<form method="post" action="${options.action}" class="stack" data-testid="api-profile-form">
    ${csrfField(page)}
    <fieldset class="segmented"><legend>${m.title}</legend>
      ${API_PROFILES.map(
        (profile) =>
          html`<label><input type="radio" name="profile" value="${profile}"${attr('checked', profile === options.profile)}> ${m.names[profile]}</label>`,
      )}
    </fieldset>
    <p class="hint">${m.whenToChoose}</p>
    <p class="small" data-testid="api-profile">${m.current(options.profile)}</p>
    <button type="submit" class="button">${m.save}</button>
  </form>`;
}
