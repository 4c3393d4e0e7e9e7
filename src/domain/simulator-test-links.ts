/**
 * The simulator's test links, like a payment provider's test card numbers: a post code or a
 * username that begins with one of these prefixes drives an unhappy path. Exported for the API
 * docs page, which renders it in English and Italian.
 */
export interface SimulatorTestLink {
  /** The post code or username begins with this (case does not matter). */
  readonly prefix: 'gone' | 'flaky' | 'crash';
  readonly example: string;
  readonly outcome: 'Partial' | 'Completed' | 'Error';
  readonly description: { readonly en: string; readonly it: string };
}

export const SIMULATOR_TEST_LINKS: readonly SimulatorTestLink[] = Object.freeze([
  {
    prefix: 'gone',
    example: 'https://www.instagram.com/p/goneABC123/',
    outcome: 'Partial',
    description: {
      en: 'The content is gone: every delivery attempt fails, so after 5 consecutive failed attempts the order ends `Partial` and 50% of the undelivered part is refunded.',
      it: 'Il contenuto non esiste più: ogni tentativo di consegna fallisce, quindi dopo 5 tentativi falliti consecutivi l’ordine termina `Partial` (parziale) e viene rimborsato il 50% della parte non consegnata.',
    },
  },
  {
    prefix: 'flaky',
    example: 'https://www.instagram.com/p/flakyABC123/',
    outcome: 'Completed',
    description: {
      en: 'Delivery is unreliable: three attempts in four fail, but every success resets the count of consecutive failures, so the order still ends `Completed`.',
      it: 'La consegna è instabile: tre tentativi su quattro falliscono, ma ogni successo azzera il conteggio dei fallimenti consecutivi, quindi l’ordine termina comunque `Completed` (completato).',
    },
  },
  {
    prefix: 'crash',
    example: 'crash_test_user',
    outcome: 'Error',
    description: {
      en: 'A failure on our side: after a first delivery step the order ends `Error` and the whole undelivered part is refunded.',
      it: 'Un guasto da parte nostra: dopo un primo passo di consegna l’ordine termina `Error` (errore) e l’intera parte non consegnata viene rimborsata.',
    },
  },
]);

/** The test prefix a stored link carries, if any: its post code or its username. */
export function simulatorTestPrefix(link: string): SimulatorTestLink['prefix'] | undefined {
  const subject = link.replace(/\/+$/, '').split('/').pop()?.toLowerCase() ?? '';
  return SIMULATOR_TEST_LINKS.find((test) => subject.startsWith(test.prefix))?.prefix;
}
