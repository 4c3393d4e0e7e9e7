import { randomBytes } from 'node:crypto';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { getBalance } from '../../app/get-balance.js';
import { findMassOrderResult, placeMassOrder } from '../../app/place-mass-order.js';
import { previewMassOrder } from '../../app/preview-mass-order.js';
import { isDomainError } from '../../domain/errors.js';
import { refusalSentence } from '../../web/i18n/refusals.js';
import {
  massOrderFormPage,
  massOrderPreviewPage,
  massOrderResultPage,
} from '../../web/pages/mass-order-page.js';
import { formText, queryText } from './form.js';
import type { WebOptions } from './web-context.js';
import { requireAccount, sendError, sendPage } from './web-reply.js';

const TOKEN = /^[0-9a-f]{32}$/;

function accountIdOf(request: FastifyRequest): number {
  const id = request.web.session?.account.id;
  if (id === undefined) throw new Error('route reached without requireAccount');
  return id;
}

/** `LINE:UNITS,...` from the confirmation form; anything else confirms no line. */
function parseCharges(text: string): Map<number, number> {
  const charges = new Map<number, number>();
  for (const pair of text.split(',')) {
    const match = /^(\d{1,4}):(\d{1,16})$/.exec(pair.trim());
    if (match) charges.set(Number(match[1]), Number(match[2]));
  }
  return charges;
}

/** The web's mass order (issue 11): lines, a preview with the total, a confirmation, the results. */
export function registerMassOrderRoutes(web: FastifyInstance, options: WebOptions): void {
  const { ctx } = options;
  const guard = { preHandler: requireAccount };

  async function renderForm(request: FastifyRequest, reply: FastifyReply, text: string, error?: string) {
    const balanceUnits = await getBalance(ctx, { accountId: accountIdOf(request) });
    const page = massOrderFormPage(request.web.page, { text, balanceUnits, ...(error ? { error } : {}) });
    return sendPage(reply, page, error ? 400 : 200);
  }

  async function renderPreview(request: FastifyRequest, reply: FastifyReply, text: string, status = 200) {
    try {
      const preview = await previewMassOrder(ctx, { accountId: accountIdOf(request), text });
      // One token per confirmation page: submitting it twice places its lines once.
      const token = randomBytes(16).toString('hex');
      return sendPage(reply, massOrderPreviewPage(request.web.page, preview, { text, token }), status);
    } catch (error) {
      if (!isDomainError(error)) throw error;
      return renderForm(request, reply, text, refusalSentence(error.refusal, request.web.lang));
    }
  }

  web.get('/orders/mass', guard, async (request, reply) => renderForm(request, reply, ''));
  web.post('/orders/mass/edit', guard, async (request, reply) =>
    renderForm(request, reply, formText(request, 'lines')),
  );
  web.post('/orders/mass/preview', guard, async (request, reply) =>
    renderPreview(request, reply, formText(request, 'lines')),
  );

  web.post('/orders/mass', guard, async (request, reply) => {
    const text = formText(request, 'lines');
    const token = formText(request, 'token');
    // A confirmation without a valid token was not made by our preview: show the preview again.
    if (!TOKEN.test(token)) return renderPreview(request, reply, text, 409);
    // As for one order (order-routes.ts): nothing is placed until the address is confirmed.
    if (request.web.session?.account.isEmailVerified === false) {
      return renderForm(
        request,
        reply,
        text,
        refusalSentence({ code: 'email_unverified', details: {} }, request.web.lang),
      );
    }
    try {
      const placed = await placeMassOrder(ctx, {
        accountId: accountIdOf(request),
        token,
        text,
        expectedCharges: parseCharges(formText(request, 'charges')),
      });
      const again = placed.wasAlreadyPlaced ? '&again=1' : '';
      return reply.redirect(`/orders/mass/result?token=${token}${again}`, 303);
    } catch (error) {
      if (!isDomainError(error)) throw error;
      return renderForm(request, reply, text, refusalSentence(error.refusal, request.web.lang));
    }
  });

  web.get('/orders/mass/result', guard, async (request, reply) => {
    const token = queryText(request, 'token');
    const stored = TOKEN.test(token)
      ? await findMassOrderResult(ctx, { accountId: accountIdOf(request), token })
      : undefined;
    if (!stored) return sendError(reply, request, 404);
    const wasAlreadyPlaced = queryText(request, 'again') === '1';
    return sendPage(reply, massOrderResultPage(request.web.page, stored.result, { wasAlreadyPlaced }));
  });
}
