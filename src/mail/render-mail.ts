import type { MailData, MailKind, MailTexts, MailWords } from '../domain/mail-kinds.js';
import { html } from '../web/html.js';
import type { OutgoingMail } from './mail-sender.js';
import { MAIL_TEXTS_EN } from './mail-texts-en.js';
import { MAIL_TEXTS_IT } from './mail-texts-it.js';

/** Who sends the mails and where their links lead (MAIL_FROM, PUBLIC_URL, BUSINESS_*). */
export interface MailOperator {
  from: string;
  publicUrl: string;
  businessName: string;
  businessAddress: string;
  businessEmail: string | null;
}

export interface MailToRender<K extends MailKind = MailKind> {
  id: number;
  to: string;
  language: 'it' | 'en';
  kind: K;
  data: MailData[K];
}

const TEXTS: Record<'it' | 'en', MailTexts> = { it: MAIL_TEXTS_IT, en: MAIL_TEXTS_EN };

function wordsOf<K extends MailKind>(mail: MailToRender<K>): MailWords {
  const build = TEXTS[mail.language][mail.kind] as (data: MailData[K]) => MailWords;
  return build(mail.data);
}

function footerLines(operator: MailOperator): string[] {
  return [operator.businessName, operator.businessAddress, operator.businessEmail ?? ''].filter(
    (line) => line,
  );
}

/** The mail in plain text and HTML; every value in the HTML goes through the escaping `html` tag. */
export function renderMail(mail: MailToRender, operator: MailOperator): OutgoingMail {
  const words = wordsOf(mail);
  const link = words.action ? `${operator.publicUrl.replace(/\/+$/, '')}${words.action.path}` : undefined;
  const footer = footerLines(operator);
  const text = [
    ...words.paragraphs,
    ...(words.action && link ? [`${words.action.label}: ${link}`] : []),
    '--',
    ...footer,
  ].join('\n\n');
  const body = html`<!doctype html>
<html lang="${mail.language}"><head><meta charset="utf-8"><title>${words.subject}</title></head>
<body style="font-family:system-ui,sans-serif;line-height:1.5;color:#1f2430;max-width:560px;margin:0 auto;padding:16px">
<h1 style="font-size:20px">${words.subject}</h1>
${words.paragraphs.map((paragraph) => html`<p>${paragraph}</p>`)}
${
  words.action && link
    ? html`<p><a href="${link}" style="display:inline-block;background:#3b5bdb;color:#fff;padding:10px 16px;border-radius:6px;text-decoration:none">${words.action.label}</a></p>
<p style="font-size:13px;color:#5c6370">${link}</p>`
    : ''
}
<hr style="border:none;border-top:1px solid #dde1e6">
<p style="font-size:13px;color:#5c6370">${footer.map((line, index) => html`${index > 0 ? html`<br>` : ''}${line}`)}</p>
</body></html>`;
  const domain = new URL(operator.publicUrl).hostname || 'inspiria.local';
  return {
    from: operator.from,
    to: mail.to,
    subject: words.subject,
    text,
    html: body.toString(),
    messageId: `<outbox-${mail.id}@${domain}>`,
  };
}
