import { expect } from 'vitest';
import type { OrderStatusAnswers } from '../../src/app/get-order-statuses.js';

/** Either form of a batch's statuses as one map, in the order of the answer: id as sent → answer text. */
export function answersByText(answers: OrderStatusAnswers): Map<string, string | undefined> {
  if ('byText' in answers) return new Map(answers.byText);
  // Members are `"<digits>":{...}` or `"<digits>":null`; an answer holds no nested object.
  const members = [...answers.members.matchAll(/"(\d+)":(\{[^{}]*\}|null)(?:,|$)/g)];
  expect(members.map((match) => match[0]).join('')).toBe(answers.members);
  return new Map(members.map(([, id = '', answer]) => [id, answer === 'null' ? undefined : answer]));
}
