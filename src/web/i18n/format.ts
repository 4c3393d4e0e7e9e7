import { formatUnits, type Units } from '../../domain/money.js';

export const LANGS = ['it', 'en'] as const;
export type Lang = (typeof LANGS)[number];
export const DEFAULT_LANG: Lang = 'it';

export function isLang(value: unknown): value is Lang {
  return typeof value === 'string' && (LANGS as readonly string[]).includes(value);
}

const LOCALES: Readonly<Record<Lang, string>> = { it: 'it-IT', en: 'en-GB' };
/** Customers are Italian first: times are shown in Rome's time zone in both languages. */
export const TIME_ZONE = 'Europe/Rome';

const integerFormats = new Map<Lang, Intl.NumberFormat>();
function integerFormat(lang: Lang): Intl.NumberFormat {
  let format = integerFormats.get(lang);
  if (!format) {
    // 'always': Italian groups 4-digit numbers too (1.234), which CLDR leaves out by default.
    // The ES2022 lib types useGrouping as boolean; Node 20 implements the ES2023 strings.
    const useGrouping = 'always' as unknown as boolean;
    format = new Intl.NumberFormat(LOCALES[lang], { useGrouping, maximumFractionDigits: 0 });
    integerFormats.set(lang, format);
  }
  return format;
}

/** A whole number for the language: 12.345 (it), 12,345 (en). */
export function formatInteger(lang: Lang, value: number): string {
  return integerFormat(lang).format(value);
}

/**
 * Money with its 4 decimals, from integer units and without a float: `1.234,5000 €` (it),
 * `€1,234.5000` (en). The digits come from formatUnits, so they match the API exactly.
 */
export function formatMoney(lang: Lang, units: Units): string {
  const plain = formatUnits(Math.abs(units));
  const [whole = '0', fraction = '0000'] = plain.split('.');
  const sign = units < 0 ? '-' : '';
  const grouped = formatInteger(lang, Number(whole));
  return lang === 'it' ? `${sign}${grouped},${fraction} €` : `${sign}€${grouped}.${fraction}`;
}

const dateTimeFormats = new Map<string, Intl.DateTimeFormat>();
function dateTimeFormat(lang: Lang, kind: 'datetime' | 'date' | 'day'): Intl.DateTimeFormat {
  const key = `${lang}:${kind}`;
  let format = dateTimeFormats.get(key);
  if (!format) {
    const options: Intl.DateTimeFormatOptions =
      kind === 'datetime'
        ? { dateStyle: 'short', timeStyle: 'short' }
        : kind === 'date'
          ? { dateStyle: 'medium' }
          : { day: 'numeric', month: 'short' };
    format = new Intl.DateTimeFormat(LOCALES[lang], { ...options, timeZone: TIME_ZONE });
    dateTimeFormats.set(key, format);
  }
  return format;
}

export function formatDateTime(lang: Lang, epochMs: number): string {
  return dateTimeFormat(lang, 'datetime').format(epochMs);
}

export function formatDate(lang: Lang, epochMs: number): string {
  return dateTimeFormat(lang, 'date').format(epochMs);
}

/** "27 nov" / "27 Nov": the chart's axis labels. */
export function formatDay(lang: Lang, epochMs: number): string {
  return dateTimeFormat(lang, 'day').format(epochMs);
}

const UNITS_PER_EURO = 10_000;

/**
 * A round figure without its zero decimals (`50 €`, `€5,000`) for thresholds and limits a
 * person reads as whole euros; any other amount keeps the 4 decimals of `formatMoney`.
 */
export function formatAmount(lang: Lang, units: Units): string {
  if (units % UNITS_PER_EURO !== 0) return formatMoney(lang, units);
  const grouped = formatInteger(lang, Math.abs(units) / UNITS_PER_EURO);
  const sign = units < 0 ? '-' : '';
  return lang === 'it' ? `${sign}${grouped} €` : `${sign}€${grouped}`;
}
