import type { Lang } from './format.js';

/**
 * The catalog's usual categories in Italian. A category is whatever the operator typed (or an
 * upstream panel sent, always in English): the known ones are translated, any other is shown
 * as typed, since guessing a translation would be worse than the operator's own word.
 */
const CATEGORIES_IT: Readonly<Record<string, string>> = {
  likes: 'Mi piace',
  followers: 'Follower',
  comments: 'Commenti',
  'custom comments': 'Commenti personalizzati',
  views: 'Visualizzazioni',
  'video views': 'Visualizzazioni video',
  'reel views': 'Visualizzazioni reel',
  'story views': 'Visualizzazioni storie',
  saves: 'Salvataggi',
  shares: 'Condivisioni',
  impressions: 'Impression',
  reach: 'Copertura',
  'live views': 'Spettatori live',
  mentions: 'Menzioni',
};

export function categoryName(lang: Lang, category: string): string {
  if (lang === 'en') return category;
  const key = category.trim().toLowerCase();
  return Object.hasOwn(CATEGORIES_IT, key) ? (CATEGORIES_IT[key] ?? category) : category;
}
