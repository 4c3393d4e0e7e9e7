import { describe, expect, it } from 'vitest';
import { isLinkType, isValidUsername, LINK_TYPES, type LinkType, normaliseLink } from './link-types.js';

/** contract §5, row by row: what each link type accepts, and the one canonical form it stores. */
const CODE = 'CxYz_12-ab';
const LONGEST_CODE = 'a'.repeat(64);

const ACCEPTED: ReadonlyArray<[LinkType, string, string]> = [
  ['post_url', `https://www.instagram.com/p/${CODE}/`, `https://www.instagram.com/p/${CODE}/`],
  ['post_url', `https://www.instagram.com/p/${CODE}`, `https://www.instagram.com/p/${CODE}/`],
  ['post_url', `instagram.com/p/${CODE}/`, `https://www.instagram.com/p/${CODE}/`],
  ['post_url', `www.instagram.com/p/${CODE}/`, `https://www.instagram.com/p/${CODE}/`],
  ['post_url', `http://m.instagram.com/p/${CODE}/`, `https://www.instagram.com/p/${CODE}/`],
  ['post_url', `https://instagr.am/p/${CODE}/`, `https://www.instagram.com/p/${CODE}/`],
  ['post_url', `HTTPS://WWW.INSTAGRAM.COM/p/${CODE}/`, `https://www.instagram.com/p/${CODE}/`],
  [
    'post_url',
    `https://www.instagram.com/p/${CODE}/?utm_source=ig_web_copy_link&igsh=x`,
    `https://www.instagram.com/p/${CODE}/`,
  ],
  ['post_url', `https://www.instagram.com/p/${CODE}/#comments`, `https://www.instagram.com/p/${CODE}/`],
  ['post_url', `https://www.instagram.com/tv/${CODE}/`, `https://www.instagram.com/p/${CODE}/`],
  ['post_url', `https://www.instagram.com/reel/${CODE}/`, `https://www.instagram.com/reel/${CODE}/`],
  ['post_url', `https://www.instagram.com/some.user_1/p/${CODE}/`, `https://www.instagram.com/p/${CODE}/`],
  ['post_url', `https://www.instagram.com/someone/reel/${CODE}/`, `https://www.instagram.com/reel/${CODE}/`],
  ['post_url', 'https://www.instagram.com/p/abcde/', 'https://www.instagram.com/p/abcde/'],
  [
    'post_url',
    `https://www.instagram.com/p/${LONGEST_CODE}/`,
    `https://www.instagram.com/p/${LONGEST_CODE}/`,
  ],
  ['reel_url', `https://www.instagram.com/reel/${CODE}/`, `https://www.instagram.com/reel/${CODE}/`],
  ['reel_url', `https://www.instagram.com/reels/${CODE}/`, `https://www.instagram.com/reel/${CODE}/`],
  ['reel_url', `instagram.com/reel/${CODE}`, `https://www.instagram.com/reel/${CODE}/`],
  ['reel_url', `http://m.instagram.com/reels/${CODE}/?igsh=abc`, `https://www.instagram.com/reel/${CODE}/`],
  ['reel_url', `https://instagr.am/reel/${CODE}/#top`, `https://www.instagram.com/reel/${CODE}/`],
  ['username', 'myusername', 'myusername'],
  ['username', '@myusername', 'myusername'],
  ['username', 'My.User_Name', 'my.user_name'],
  ['username', 'a', 'a'],
  ['username', 'a'.repeat(30), 'a'.repeat(30)],
  ['username', '_under_', '_under_'],
  ['username', 'https://www.instagram.com/My.User/', 'my.user'],
  ['username', 'instagram.com/myusername', 'myusername'],
  ['username', 'http://m.instagram.com/myusername/?hl=it', 'myusername'],
  ['username', 'https://instagr.am/myusername', 'myusername'],
];

const REJECTED: ReadonlyArray<[LinkType, string]> = [
  ['post_url', ''],
  ['post_url', 'ABCDEF'],
  ['post_url', 'https://www.instagram.com/p/ABCD/'],
  ['post_url', `https://www.instagram.com/p/${'a'.repeat(65)}/`],
  ['post_url', 'https://www.instagram.com/p/ABC.DEF/'],
  ['post_url', 'https://www.instagram.com/p/ABC%20DEF/'],
  ['post_url', 'https://www.instagram.com/p/ABC DEF/'],
  ['post_url', `https://www.instagram.com/p/${CODE}/\n`],
  ['post_url', `https://www.instagram.com/p/${CODE}/\u0000`],
  ['post_url', `\thttps://www.instagram.com/p/${CODE}/`],
  ['post_url', `https://www.instagram.com/p/${CODE}/?x=${'a'.repeat(2000)}`],
  ['post_url', `https://www.instagram.com/reels/${CODE}/`],
  ['post_url', `https://www.instagram.com/stories/someone/${CODE}/`],
  ['post_url', `https://www.instagram.com/${CODE}/`],
  ['post_url', 'https://www.instagram.com/'],
  ['post_url', `https://www.instagram.com/p/${CODE}/extra/`],
  ['post_url', `https://www.instagram.com/.bad/p/${CODE}/`],
  ['post_url', `https://evil.com/p/${CODE}/`],
  ['post_url', `https://instagram.com.evil.com/p/${CODE}/`],
  ['post_url', `https://evilinstagram.com/p/${CODE}/`],
  ['post_url', `https://user:pass@instagram.com/p/${CODE}/`],
  ['post_url', `ftp://instagram.com/p/${CODE}/`],
  ['post_url', `javascript:alert(1)//instagram.com/p/${CODE}/`],
  ['post_url', `javascript://instagram.com/p/${CODE}/`],
  ['post_url', `//instagram.com/p/${CODE}/`],
  ['reel_url', `https://www.instagram.com/p/${CODE}/`],
  ['reel_url', `https://www.instagram.com/tv/${CODE}/`],
  ['reel_url', 'https://www.instagram.com/reel/ABCD/'],
  ['reel_url', `https://www.instagram.com/reel/${CODE}/more/`],
  ['reel_url', `https://evil.com/reel/${CODE}/`],
  ['reel_url', 'myusername'],
  ['username', ''],
  ['username', '@'],
  ['username', '@@name'],
  ['username', 'a'.repeat(31)],
  ['username', '.name'],
  ['username', 'name.'],
  ['username', 'na..me'],
  ['username', 'na-me'],
  ['username', 'name!'],
  ['username', 'name with space'],
  ['username', 'name\n'],
  ['username', 'nàme'],
  ['username', `https://www.instagram.com/p/${CODE}/`],
  ['username', 'https://www.instagram.com/'],
  ['username', 'https://evil.com/myusername/'],
  ['username', 'ftp://instagram.com/myusername/'],
  ['username', 'javascript:alert(1)'],
  ['username', 'https://www.instagram.com/.name/'],
];

describe('normaliseLink (contract §5)', () => {
  it.each(ACCEPTED)('%s accepts %s as %s', (linkType, raw, canonical) => {
    expect(normaliseLink(linkType, raw)).toBe(canonical);
  });

  it.each(REJECTED)('%s rejects %j', (linkType, raw) => {
    expect(normaliseLink(linkType, raw)).toBeUndefined();
  });

  it('stores the same post, spelt two ways, as the same link', () => {
    expect(normaliseLink('post_url', `instagram.com/tv/${CODE}?a=1`)).toBe(
      normaliseLink('post_url', `https://m.instagram.com/someone/p/${CODE}/#x`),
    );
  });

  it('is idempotent: a canonical link normalises to itself', () => {
    for (const [linkType, , canonical] of ACCEPTED) {
      expect(normaliseLink(linkType, canonical)).toBe(canonical);
    }
  });

  it('accepts a link of exactly 2,000 characters and refuses one of 2,001', () => {
    const base = `https://www.instagram.com/p/${CODE}/?x=`;
    expect(normaliseLink('post_url', base.padEnd(2000, 'a'))).toBe(`https://www.instagram.com/p/${CODE}/`);
    expect(normaliseLink('post_url', base.padEnd(2001, 'a'))).toBeUndefined();
  });
});

describe('link types', () => {
  it('are exactly post_url, reel_url and username', () => {
    expect([...LINK_TYPES]).toEqual(['post_url', 'reel_url', 'username']);
    expect(LINK_TYPES.every(isLinkType)).toBe(true);
    for (const other of ['', 'POST_URL', 'story_url', 'url', 'post_url '])
      expect(isLinkType(other)).toBe(false);
  });

  it('usernames: 1 to 30 of a-z 0-9 . _, no leading, trailing or double dot', () => {
    expect(isValidUsername('a.b_c.9')).toBe(true);
    for (const bad of ['', 'A', 'a..b', '.a', 'a.', 'a'.repeat(31), 'a b'])
      expect(isValidUsername(bad)).toBe(false);
  });
});
