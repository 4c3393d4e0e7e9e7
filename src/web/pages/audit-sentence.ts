import { AUDIT_ACTIONS, type AuditAction } from '../../domain/audit-actions.js';
import { html, type SafeHtml } from '../html.js';
import type { PageContext } from '../page-context.js';
import { am } from './admin-common.js';

/** One field an audit entry records: with `from` when the entry says what it replaced. */
export interface AuditChange {
  field: string;
  from?: unknown;
  to: unknown;
}

/** The keys that name what the entry is about (written in the sentence, not listed as changes). */
const SUBJECT_KEYS = ['orderId', 'serviceId', 'ticketId'] as const;

function isChange(value: unknown): value is { from?: unknown; to: unknown } {
  return typeof value === 'object' && value !== null && !Array.isArray(value) && 'to' in value;
}

/**
 * An entry's details as the changes it records. Entries written since migration 015 store
 * `{field: {from, to}}`; older ones a `statusBefore`/`statusAfter` pair (read as one change) or
 * the new value alone (shown without an old one).
 */
export function auditChanges(details: Record<string, unknown>): {
  subjectId?: number;
  changes: AuditChange[];
} {
  const changes: AuditChange[] = [];
  let subjectId: number | undefined;
  for (const [key, value] of Object.entries(details)) {
    if ((SUBJECT_KEYS as readonly string[]).includes(key) && typeof value === 'number') {
      subjectId ??= value;
      continue;
    }
    if (key.endsWith('After') && Object.hasOwn(details, `${key.slice(0, -5)}Before`)) continue;
    if (key.endsWith('Before')) {
      const base = key.slice(0, -6);
      const afterKey = `${base}After`;
      if (Object.hasOwn(details, afterKey)) {
        changes.push({ field: base, from: value, to: details[afterKey] });
        continue;
      }
    }
    changes.push(
      isChange(value) ? { field: key, from: value.from, to: value.to } : { field: key, to: value },
    );
  }
  return subjectId === undefined ? { changes } : { subjectId, changes };
}

function isAuditAction(action: string): action is AuditAction {
  return (AUDIT_ACTIONS as readonly string[]).includes(action);
}

/**
 * An audit entry as one sentence in the admin's language: the actor, what they did to whom, and
 * only the fields the entry records, each as `old → new` when the old value is known.
 */
export function auditSentence(
  page: PageContext,
  entry: { actor: string; action: string; targetEmail: string | null; details: Record<string, unknown> },
  value: (field: string, raw: unknown) => SafeHtml | string,
): SafeHtml {
  const m = am(page).audit;
  const { subjectId, changes } = auditChanges(entry.details);
  const subject = subjectId !== undefined ? `#${subjectId}` : (entry.targetEmail ?? '');
  const opening = isAuditAction(entry.action)
    ? m.sentences[entry.action](entry.actor, subject)
    : `${entry.actor}: ${entry.action} ${subject}`;
  const fieldName = (field: string) =>
    Object.hasOwn(m.fields, field) ? m.fields[field as keyof typeof m.fields] : field;
  const parts = changes.map((change) =>
    'from' in change && change.from !== undefined
      ? html`<span class="audit-change">${fieldName(change.field)}: ${value(change.field, change.from)} → ${value(change.field, change.to)}</span>`
      : html`<span class="audit-change">${fieldName(change.field)}: ${value(change.field, change.to)}</span>`,
  );
  const list = parts.flatMap((part, i) => (i === 0 ? [part] : [html`, `, part]));
  return html`<p class="audit-sentence">${opening.trim()}${parts.length > 0 ? html`: ${list}` : ''}.</p>`;
}
