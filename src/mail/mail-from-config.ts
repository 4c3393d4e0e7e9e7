import path from 'node:path';
import type { Logger } from 'pino';
import type { AppContext } from '../app/context.js';
import type { Config } from '../config.js';
import { fileSender } from './file-sender.js';
import { MailDispatcher } from './mail-dispatcher.js';
import type { MailOperator } from './render-mail.js';
import { smtpSender } from './smtp-sender.js';

export function mailOperatorFrom(config: Config): MailOperator {
  return {
    from: config.mail.from,
    publicUrl: config.mail.publicUrl,
    businessName: config.payments.businessName,
    businessAddress: config.payments.businessAddress,
    businessEmail: config.payments.businessEmail,
  };
}

/** The mail loop `npm start` runs: SMTP when SMTP_URL is set, `.eml` files under DATA_DIR/mail otherwise. */
export function mailDispatcherFrom(config: Config, ctx: AppContext, logger: Logger): MailDispatcher {
  const sender = config.mail.smtpUrl
    ? smtpSender(config.mail.smtpUrl)
    : fileSender(path.join(config.dataDir, 'mail'), (file) =>
        logger.info({ file }, 'mail written to a file'),
      );
  return new MailDispatcher({ ctx, sender, operator: mailOperatorFrom(config), logger });
}
