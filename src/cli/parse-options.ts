import { parseEuros } from '../domain/money.js';
import { CliError } from './output.js';

export function eurosOption(text: string, name: string): number {
  const units = parseEuros(text);
  if (units === undefined)
    throw new CliError(`${name} must be an amount in EUR with at most 4 decimals (got ${text})`);
  return units;
}

export function wholeNumberOption(text: string, name: string): number {
  if (!/^\d{1,15}$/.test(text)) throw new CliError(`${name} must be a whole number (got ${text})`);
  return Number(text);
}
