import type { FastifyInstance } from 'fastify';
import { applyCardEvent, type CardEventOutcome } from '../app/apply-card-event.js';
import type { AppContext } from '../app/context.js';
import { InvalidWebhookSignature } from '../app/payment-settings.js';

/** Outcomes the operator should look at: money that arrived for nothing we can match. */
const SUSPICIOUS: readonly CardEventOutcome[] = ['unknown_payment', 'amount_mismatch', 'currency_mismatch'];

/**
 * `POST /webhooks/stripe`: the only way a card payment credits a balance. The signature is
 * checked on the exact bytes Stripe sent, so this route reads its body raw (in its own
 * encapsulated context: the rest of the server keeps its parsers). A bad signature is 400
 * and changes nothing; an error of ours is 500, and Stripe delivers the event again.
 */
export async function registerStripeWebhook(app: FastifyInstance, ctx: AppContext): Promise<void> {
  await app.register(async (webhooks) => {
    webhooks.removeAllContentTypeParsers();
    webhooks.addContentTypeParser('*', { parseAs: 'buffer' }, (_request, body, done) => done(null, body));
    webhooks.post('/webhooks/stripe', async (request, reply) => {
      const gateway = ctx.payments.card;
      if (!gateway) return reply.code(404).send({ error: 'Not found' });
      const rawBody = Buffer.isBuffer(request.body) ? request.body : Buffer.alloc(0);
      const signature = request.headers['stripe-signature'];
      let event: ReturnType<typeof gateway.parseWebhook>;
      try {
        event = gateway.parseWebhook(rawBody, typeof signature === 'string' ? signature : undefined);
      } catch (error) {
        if (!(error instanceof InvalidWebhookSignature)) throw error;
        request.log.warn({ reason: error.message }, 'stripe webhook refused: bad signature');
        return reply.code(400).send({ error: 'Invalid signature' });
      }
      const result = await applyCardEvent(ctx, event);
      const fields = { eventId: event.eventId, type: event.type, ...result };
      if (SUSPICIOUS.includes(result.outcome)) request.log.warn(fields, 'stripe event credited nothing');
      else request.log.info(fields, 'stripe event applied');
      return reply.code(200).send({ received: true, outcome: result.outcome });
    });
  });
}
