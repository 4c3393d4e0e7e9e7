import type { FastifyRequest } from 'fastify';
import { isStorableText } from '../../domain/storable-text.js';

/**
 * A field as text, '' when absent, repeated, or holding what no database can store (a NUL, a
 * lone surrogate, invalid UTF-8): every form already refuses an empty required field with that
 * field's own message, in the page's language, and writes nothing.
 */
function usableText(value: unknown): string {
  return typeof value === 'string' && isStorableText(value) ? value : '';
}

/** One text field of a form body (see usableText). */
export function formText(request: FastifyRequest, name: string): string {
  return usableText(((request.body ?? {}) as Record<string, unknown>)[name]);
}

/** One query-string parameter as text (see usableText). */
export function queryText(request: FastifyRequest, name: string): string {
  return usableText(((request.query ?? {}) as Record<string, unknown>)[name]);
}

/** A same-site path to return to after log-in; anything else (//evil, https://…) is refused. */
export function safeNextPath(text: string): string | undefined {
  return /^\/(?![/\\])[\w\-./?=&%]*$/.test(text) ? text : undefined;
}
