import type { FastifyInstance, FastifyRequest } from 'fastify';
import { importBankStatement } from '../../app/import-bank-statement.js';
import { am } from '../../web/pages/admin-common.js';
import { adminStatementPage } from '../../web/pages/admin-statement-page.js';
import { BodyTooLargeError, IncorrectRequestError } from '../body-parsers.js';
import { parseMultipartBody } from '../multipart-body.js';
import { adminActor, attempt } from './admin-forms.js';
import { formText } from './form.js';
import type { WebOptions } from './web-context.js';
import { sendPage } from './web-reply.js';

/** A bank's monthly statement runs to a few MB; the API's 1 MiB would refuse real ones. */
export const STATEMENT_BODY_BYTES = 10 * 1024 * 1024;

function isAdminRequest(request: FastifyRequest): boolean {
  return request.web?.session?.account.role === 'admin';
}

/**
 * This scope's own multipart parser: the `statement` file part is read as text, and `_csrf`
 * arrives as an ordinary field, so the web plugin's CSRF check applies unchanged. Anyone but
 * an admin has the body drained unread: their request ends in 403 anyway, and nobody else
 * should make the server buffer 10 MB.
 */
function useStatementParser(scope: FastifyInstance): void {
  scope.removeContentTypeParser('multipart/form-data');
  scope.addContentTypeParser('multipart/form-data', (request, payload, done) => {
    if (!isAdminRequest(request)) {
      payload.resume();
      payload.on('end', () => done(null, {}));
      return;
    }
    const length = Number(request.headers['content-length'] ?? 0);
    if (length > STATEMENT_BODY_BYTES) return done(new BodyTooLargeError(), undefined);
    parseMultipartBody(
      request,
      payload,
      { bodyBytes: STATEMENT_BODY_BYTES, fileFields: ['statement'] },
      { tooLarge: () => new BodyTooLargeError(), incorrect: () => new IncorrectRequestError() },
    ).then(
      (fields) => done(null, fields),
      (error: Error) => done(error, undefined),
    );
  });
}

export async function registerStatementRoutes(admin: FastifyInstance, options: WebOptions): Promise<void> {
  admin.get('/admin/payments/statement', async (request, reply) =>
    sendPage(reply, adminStatementPage(request.web.page)),
  );

  await admin.register(async (scope) => {
    useStatementParser(scope);
    // Too large a file is the operator's mistake: the upload page says so in their language.
    scope.setErrorHandler(async (error, request, reply) => {
      if (!(error instanceof BodyTooLargeError) || !isAdminRequest(request)) throw error;
      const message = am(request.web.page).payments.statement.tooLarge;
      return sendPage(
        reply,
        adminStatementPage(request.web.page, { flash: { kind: 'error', message } }),
        413,
      );
    });

    scope.post('/admin/payments/statement', async (request, reply) => {
      const { page } = request.web;
      const xml = formText(request, 'statement');
      if (xml.trim() === '') {
        const message = am(page).payments.statement.missingFile;
        return sendPage(reply, adminStatementPage(page, { flash: { kind: 'error', message } }), 400);
      }
      const result = await attempt(request, () =>
        importBankStatement(options.ctx, { xml, actor: adminActor(request) }),
      );
      if (!result.ok) return sendPage(reply, adminStatementPage(page, { flash: result.flash }), 400);
      return sendPage(reply, adminStatementPage(page, { result: result.value }));
    });
  });
}
