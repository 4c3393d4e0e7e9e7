import type { ApiProfile } from '../../domain/api-profile.js';
import type { Lang } from './format.js';

/** The strings of the API compatibility profile (contract §13): the dashboard, the admin and the docs. */
export interface ApiProfileMessages {
  title: string;
  /** When to choose which: one sentence, the same on every page that offers the choice. */
  whenToChoose: string;
  names: Readonly<Record<ApiProfile, string>>;
  current: (name: string) => string;
  save: string;
  saved: (name: string) => string;
}

const it: ApiProfileMessages = {
  title: 'Compatibilità API',
  whenToChoose:
    'PerfectPanel, SmartPanel e la maggior parte dei pannelli reseller: perfectpanel; un tuo script che segue la nostra pagina: inspiria.',
  names: {
    inspiria: 'inspiria (la nostra pagina API)',
    perfectpanel: 'perfectpanel (pannelli reseller)',
  },
  current: (name: string) => `Profilo attuale: ${name}`,
  save: 'Salva profilo',
  saved: (name: string) => `Profilo API impostato: ${name}. Vale dalla prossima richiesta.`,
};

const en: ApiProfileMessages = {
  title: 'API compatibility',
  whenToChoose:
    'PerfectPanel, SmartPanel and most reseller panels: perfectpanel; your own script following our page: inspiria.',
  names: {
    inspiria: 'inspiria (our API page)',
    perfectpanel: 'perfectpanel (reseller panels)',
  },
  current: (name: string) => `Current profile: ${name}`,
  save: 'Save profile',
  saved: (name: string) => `API profile set to ${name}. It applies from the next request.`,
};

export function apiProfileMessages(lang: Lang): ApiProfileMessages {
  return lang === 'en' ? en : it;
}
