import type { FastifyRequest } from 'fastify';

/** One text field of a form body; a repeated or missing field reads as ''. */
export function formText(request: FastifyRequest, name: string): string {
  const value = ((request.body ?? {}) as Record<string, unknown>)[name];
  return typeof value === 'string' ? value : '';
}

/** One query-string parameter as text ('' when absent or repeated). */
export function queryText(request: FastifyRequest, name: string): string {
  const value = ((request.query ?? {}) as Record<string, unknown>)[name];
  return typeof value === 'string' ? value : '';
}

/** A same-site path to return to after log-in; anything else (//evil, https://…) is refused. */
export function safeNextPath(text: string): string | undefined {
  return /^\/(?![/\\])[\w\-./?=&%]*$/.test(text) ? text : undefined;
}
