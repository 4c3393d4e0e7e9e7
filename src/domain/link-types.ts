/**
 * Link types and their normalisation (contract §5). A link is accepted only in the shapes
 * listed there and is stored in one canonical form, so the same post ordered twice through
 * two spellings is the same link.
 */
export const LINK_TYPES = ['post_url', 'reel_url', 'username'] as const;
export type LinkType = (typeof LINK_TYPES)[number];

export function isLinkType(value: string): value is LinkType {
  return (LINK_TYPES as readonly string[]).includes(value);
}

const MAX_LINK_LENGTH = 2000;
const HOSTS = new Set(['instagram.com', 'www.instagram.com', 'm.instagram.com', 'instagr.am']);
const CODE = /^[A-Za-z0-9_-]{5,64}$/;
const USERNAME = /^[a-z0-9._]{1,30}$/;

export function isValidUsername(name: string): boolean {
  return USERNAME.test(name) && !name.startsWith('.') && !name.endsWith('.') && !name.includes('..');
}

/** Splits an Instagram URL into its path segments, or undefined when it is not one. */
function instagramPath(raw: string): string[] | undefined {
  // Scheme optional; only http and https. Query and fragment are dropped.
  const match = /^(?:(https?):\/\/)?([^/?#]+)(\/[^?#]*)?(?:[?#].*)?$/i.exec(raw);
  if (!match) return undefined;
  const host = (match[2] ?? '').toLowerCase();
  if (!HOSTS.has(host)) return undefined;
  return (match[3] ?? '/').split('/').filter((segment) => segment !== '');
}

function hasForbiddenCharacters(raw: string): boolean {
  // Control characters and whitespace are never part of a link we accept.
  // biome-ignore lint/suspicious/noControlCharactersInRegex: that is the point
  return /[\u0000-\u0020\u007f]/.test(raw);
}

function normalisePost(segments: string[]): string | undefined {
  // /p/CODE/, /reel/CODE/, /tv/CODE/, or the same behind /USERNAME/.
  const rest =
    segments.length === 3 && isValidUsername((segments[0] ?? '').toLowerCase())
      ? segments.slice(1)
      : segments;
  if (rest.length !== 2) return undefined;
  const [kind, code = ''] = rest;
  if (!CODE.test(code)) return undefined;
  if (kind === 'p' || kind === 'tv') return `https://www.instagram.com/p/${code}/`;
  if (kind === 'reel') return `https://www.instagram.com/reel/${code}/`;
  return undefined;
}

function normaliseReel(segments: string[]): string | undefined {
  if (segments.length !== 2) return undefined;
  const [kind, code = ''] = segments;
  if ((kind === 'reel' || kind === 'reels') && CODE.test(code))
    return `https://www.instagram.com/reel/${code}/`;
  return undefined;
}

function normaliseUsername(raw: string): string | undefined {
  const looksLikeUrl = raw.includes('/') || /^[a-z]+:/i.test(raw);
  if (!looksLikeUrl) {
    const name = (raw.startsWith('@') ? raw.slice(1) : raw).toLowerCase();
    return isValidUsername(name) ? name : undefined;
  }
  const segments = instagramPath(raw);
  if (segments?.length !== 1) return undefined;
  const name = (segments[0] ?? '').toLowerCase();
  return isValidUsername(name) ? name : undefined;
}

/** The canonical form of `raw` for `linkType`, or undefined when it does not fit. */
export function normaliseLink(linkType: LinkType, raw: string): string | undefined {
  if (raw.length === 0 || raw.length > MAX_LINK_LENGTH || hasForbiddenCharacters(raw)) return undefined;
  if (linkType === 'username') return normaliseUsername(raw);
  const segments = instagramPath(raw);
  if (!segments) return undefined;
  return linkType === 'post_url' ? normalisePost(segments) : normaliseReel(segments);
}

/** An example the dashboard shows beside the link field. */
export const LINK_EXAMPLES: Readonly<Record<LinkType, string>> = {
  post_url: 'https://www.instagram.com/p/CODE/',
  reel_url: 'https://www.instagram.com/reel/CODE/',
  username: 'myusername',
};
