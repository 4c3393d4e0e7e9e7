import type { FastifyInstance } from 'fastify';
import { createAppContext } from '../../src/app/context.js';
import { createAccount } from '../../src/app/create-account.js';
import { placeOrder } from '../../src/app/place-order.js';
import { createService, type ServiceFields } from '../../src/app/save-service.js';
import { buildServer } from '../../src/http/server.js';
import type { TestDatabase } from './databases.js';

/** The server built from `options`, listening on a free loopback port: every test server starts here. */
export async function startServer(
  options: Parameters<typeof buildServer>[0],
): Promise<{ app: FastifyInstance; baseUrl: string }> {
  const app = await buildServer(options);
  await app.listen({ port: 0, host: '127.0.0.1' });
  const address = app.server.address();
  if (!address || typeof address === 'string') throw new Error('server has no port');
  return { app, baseUrl: `http://127.0.0.1:${address.port}` };
}

/** A real HTTP server on a loopback port, over the suite's database. */
export function startApiServer(db: TestDatabase): Promise<{ app: FastifyInstance; baseUrl: string }> {
  return startServer({ ctx: db.ctx });
}

/** A second API node in this process, on its own connection pool to the same database. */
export async function startSecondNode(
  db: TestDatabase,
): Promise<{ baseUrl: string; stop: () => Promise<void> }> {
  const { app, baseUrl } = await startServer({ ctx: createAppContext(db.openAnother(), db.clock) });
  return { baseUrl, stop: () => app.close() };
}

export interface ApiResponse {
  status: number;
  body: unknown;
  text: string;
  headers: Headers;
}

/** POSTs `params` as JSON (or as given) to /api/v2. */
export async function callApi(
  baseUrl: string,
  params: Record<string, unknown>,
  init: {
    headers?: Record<string, string>;
    query?: string;
    rawBody?: string | FormData;
    method?: string;
  } = {},
): Promise<ApiResponse> {
  const hasRaw = init.rawBody !== undefined;
  const response = await fetch(`${baseUrl}/api/v2${init.query ? `?${init.query}` : ''}`, {
    method: init.method ?? 'POST',
    headers: hasRaw ? (init.headers ?? {}) : { 'content-type': 'application/json', ...init.headers },
    ...(init.method === 'GET' || init.method === 'HEAD'
      ? {}
      : { body: hasRaw ? init.rawBody : JSON.stringify(params) }),
  });
  const text = await response.text();
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    body = undefined;
  }
  return { status: response.status, body, text, headers: response.headers };
}

let accountCounter = 0;

/** A customer with a key and a balance in units. */
export async function createCustomer(db: TestDatabase, balanceUnits = 0) {
  accountCounter += 1;
  return createAccount(db.ctx, {
    email: `customer${accountCounter}-${Date.now()}@example.com`,
    password: 'correct horse battery',
    openingBalanceUnits: balanceUnits,
  });
}

export const LIKES_SERVICE: ServiceFields = {
  name: 'IG Likes - Male+Female',
  category: 'Likes',
  type: 'Default',
  linkType: 'post_url',
  rateUnits: 35_000,
  minQuantity: 25,
  maxQuantity: 5000,
  canCancel: true,
  isActive: true,
  backend: 'operator',
};

export async function createTestService(db: TestDatabase, fields: Partial<ServiceFields> = {}, id?: number) {
  return createService(db.ctx, {
    ...(id === undefined ? {} : { id }),
    fields: { ...LIKES_SERVICE, ...fields },
    actor: 'test',
  });
}

/**
 * A service and two customers with money, and `place(accountId, quantity)` placing an order of
 * that service for one of them (its id): the setup of the tests that read orders back.
 */
export async function twoCustomersWithOrders(
  db: TestDatabase,
  link = 'https://www.instagram.com/p/ReadsTest/',
) {
  const service = await createTestService(db);
  const [owner, other] = await Promise.all([createCustomer(db, 1_000_000), createCustomer(db, 1_000_000)]);
  const place = async (accountId: number, quantity: number) =>
    (await placeOrder(db.ctx, { accountId, serviceId: service.id, link, quantity, comments: undefined }))
      .orderId;
  return { service, owner, other, place };
}
