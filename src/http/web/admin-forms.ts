import type { FastifyReply, FastifyRequest } from 'fastify';
import { isDomainError, isNotFound } from '../../domain/errors.js';
import { parseEuros } from '../../domain/money.js';
import type { Flash } from '../../web/pages/admin-common.js';
import { refusalMessage } from '../../web/pages/admin-common.js';
import { sendError } from './web-reply.js';

/** Who did it, as the audit log and the ledger record it: the admin's email, marked as the web. */
export function adminActor(request: FastifyRequest): string {
  return `web:${request.web.session?.account.email ?? 'unknown'}`;
}

/** A euro amount typed by a person: `12.5`, `12,5` or `1234,5678`; no sign, at most 4 decimals. */
export function parseEuroText(text: string): number | undefined {
  const trimmed = text.trim();
  if (trimmed.startsWith('-') || trimmed.startsWith('+')) return undefined;
  const normalised = trimmed.includes(',') && !trimmed.includes('.') ? trimmed.replace(',', '.') : trimmed;
  return parseEuros(normalised);
}

/** A whole number typed in a form, or undefined. */
export function parseWhole(text: string, max = 1_000_000_000_000): number | undefined {
  if (!/^\d{1,15}$/.test(text.trim())) return undefined;
  const value = Number(text.trim());
  return value <= max ? value : undefined;
}

/** The numeric `:id` of an admin URL; anything else is a 404 (answered here). */
export async function pathId(request: FastifyRequest, reply: FastifyReply): Promise<number | undefined> {
  const id = parseWhole(String((request.params as { id?: string }).id ?? ''));
  if (id === undefined || id < 1) {
    await sendError(reply, request, 404);
    return undefined;
  }
  return id;
}

/**
 * Runs an admin action. A refusal by the use case (a DomainError) becomes an error flash for
 * `render`; anything else propagates to the 500 page.
 */
export async function attempt<T>(
  request: FastifyRequest,
  action: () => Promise<T>,
): Promise<{ ok: true; value: T } | { ok: false; flash: Flash; notFound: boolean }> {
  try {
    return { ok: true, value: await action() };
  } catch (error) {
    const message = refusalMessage(request.web.page, error);
    if (message === undefined) throw error;
    const notFound = isDomainError(error) && isNotFound(error.code);
    return { ok: false, flash: { kind: 'error', message }, notFound };
  }
}
