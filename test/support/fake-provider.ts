import formbody from '@fastify/formbody';
import Fastify, { type FastifyInstance } from 'fastify';

/** A reply the test scripts: raw text with an HTTP status, optionally after a delay. */
export interface ScriptedReply {
  status?: number;
  body: string;
  contentType?: string;
  delayMs?: number;
  headers?: Record<string, string>;
}

export interface FakeOrder {
  id: number;
  service: string;
  link: string;
  quantity: number;
  idempotencyKey: string | undefined;
  /** What `status` reports for it; the test moves it along. */
  entry: Record<string, unknown>;
}

/**
 * Another panel speaking API v2, served on a loopback port over real HTTP. Tests script its
 * orders' statuses and, with `override`, any hostile reply.
 */
export class FakeProvider {
  readonly orders = new Map<number, FakeOrder>();
  readonly calls: { action: string; params: Record<string, string> }[] = [];
  services: unknown[] = [];
  balance: unknown = { balance: '123.4567', currency: 'EUR' };
  override: ((action: string, params: Record<string, string>) => ScriptedReply | undefined) | undefined;
  private nextId = 9000;
  private app: FastifyInstance | undefined;
  url = '';

  constructor(readonly apiKey: string) {}

  async start(): Promise<void> {
    const app = Fastify();
    await app.register(formbody);
    app.post('/api/v2', async (request, reply) => {
      const params = { ...(request.body as Record<string, string>) };
      const idempotencyKey = request.headers['idempotency-key'];
      this.calls.push({ action: params.action ?? '', params });
      const scripted = this.override?.(params.action ?? '', params);
      if (scripted) {
        if (scripted.delayMs) await new Promise((resolve) => setTimeout(resolve, scripted.delayMs));
        return reply
          .headers(scripted.headers ?? {})
          .code(scripted.status ?? 200)
          .header('content-type', scripted.contentType ?? 'application/json')
          .send(scripted.body);
      }
      if (params.key !== this.apiKey) return reply.code(401).send({ error: 'Unauthorized' });
      return this.answer(params, typeof idempotencyKey === 'string' ? idempotencyKey : undefined);
    });
    await app.listen({ port: 0, host: '127.0.0.1' });
    const address = app.server.address();
    if (!address || typeof address === 'string') throw new Error('fake provider has no port');
    this.url = `http://127.0.0.1:${address.port}/api/v2`;
    this.app = app;
  }

  async stop(): Promise<void> {
    await this.app?.close();
  }

  private answer(params: Record<string, string>, idempotencyKey: string | undefined): unknown {
    switch (params.action) {
      case 'services':
        return this.services;
      case 'balance':
        return this.balance;
      case 'add': {
        const id = this.nextId++;
        this.orders.set(id, {
          id,
          service: params.service ?? '',
          link: params.link ?? '',
          quantity: Number(params.quantity),
          idempotencyKey,
          entry: {
            charge: '0.1',
            start_count: '0',
            status: 'Pending',
            remains: params.quantity,
            currency: 'USD',
          },
        });
        return { order: id };
      }
      case 'status': {
        const result: Record<string, unknown> = {};
        for (const id of (params.orders ?? params.order ?? '').split(',')) {
          result[id] = this.orders.get(Number(id))?.entry ?? { error: 'Incorrect order ID' };
        }
        return result;
      }
      case 'cancel': {
        const result: Record<string, unknown> = {};
        for (const id of (params.orders ?? '').split(',')) result[id] = 1;
        return result;
      }
      default:
        return { error: 'Invalid action' };
    }
  }

  /** The upstream order our order `orderId` placed (by its Idempotency-Key). */
  orderFor(orderId: number): FakeOrder | undefined {
    return [...this.orders.values()].find((order) => order.idempotencyKey === `inspiria-order-${orderId}`);
  }

  callsOf(action: string) {
    return this.calls.filter((call) => call.action === action);
  }
}
