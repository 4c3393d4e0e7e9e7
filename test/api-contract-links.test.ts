import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { callApi, createCustomer, createTestService, startApiServer } from './support/api-server.js';
import { snapshot, storedOrder } from './support/api-state.js';
import { describeEachDatabase } from './support/databases.js';

const POST_ERROR = 'This service requires a post URL (e.g. instagram.com/p/...)';
const REEL_ERROR = 'This service requires a reel URL (e.g. instagram.com/reel/...)';
const USER_ERROR = 'This service requires an Instagram username (e.g. myusername)';

const code64 = 'A'.repeat(64);

/** contract §5: accepted inputs and the canonical form each is stored as. */
const ACCEPTED: Record<'post' | 'reel' | 'user', [string, string][]> = {
  post: [
    ['https://www.instagram.com/p/XXXXX/', 'https://www.instagram.com/p/XXXXX/'],
    ['instagram.com/p/AbC-_12/', 'https://www.instagram.com/p/AbC-_12/'],
    ['www.instagram.com/p/ABCDE', 'https://www.instagram.com/p/ABCDE/'],
    ['http://m.instagram.com/p/ABCDE/?igsh=abc&utm_source=x#frag', 'https://www.instagram.com/p/ABCDE/'],
    ['https://instagr.am/p/ABCDE/', 'https://www.instagram.com/p/ABCDE/'],
    ['HTTPS://WWW.INSTAGRAM.COM/p/ABCDE/', 'https://www.instagram.com/p/ABCDE/'],
    ['https://www.instagram.com/reel/ABCDE/', 'https://www.instagram.com/reel/ABCDE/'],
    ['https://www.instagram.com/tv/ABCDE/', 'https://www.instagram.com/p/ABCDE/'],
    ['https://www.instagram.com/some.user/p/ABCDE/', 'https://www.instagram.com/p/ABCDE/'],
    ['instagram.com/some_user/reel/ABCDE?x=1', 'https://www.instagram.com/reel/ABCDE/'],
    [`https://www.instagram.com/p/${code64}/`, `https://www.instagram.com/p/${code64}/`],
  ],
  reel: [
    ['https://www.instagram.com/reel/ABCDE/', 'https://www.instagram.com/reel/ABCDE/'],
    ['instagram.com/reels/ABCDE', 'https://www.instagram.com/reel/ABCDE/'],
    ['http://m.instagram.com/reel/Ab-_9/?igsh=1#x', 'https://www.instagram.com/reel/Ab-_9/'],
    ['https://instagr.am/reel/ABCDE/', 'https://www.instagram.com/reel/ABCDE/'],
  ],
  user: [
    ['myusername', 'myusername'],
    ['MyUserName', 'myusername'],
    ['@my.user_name', 'my.user_name'],
    ['a', 'a'],
    ['a'.repeat(30), 'a'.repeat(30)],
    ['https://www.instagram.com/My_User/', 'my_user'],
    ['instagram.com/my.user?igsh=abc', 'my.user'],
    ['http://m.instagram.com/my_user', 'my_user'],
  ],
};

/** contract §5: inputs that get the link type's error. */
const REJECTED: Record<'post' | 'reel' | 'user', string[]> = {
  post: [
    '',
    'myusername',
    'javascript:alert(1)',
    'javascript://instagram.com/p/ABCDE/',
    'ftp://instagram.com/p/ABCDE/',
    'https://evil.com/p/ABCDE/',
    'https://instagram.com.evil.com/p/ABCDE/',
    'https://evilinstagram.com/p/ABCDE/',
    'https://user:pass@instagram.com/p/ABCDE/',
    '//instagram.com/p/ABCDE/',
    'https://www.instagram.com/p/ABCD/',
    `https://www.instagram.com/p/${code64}A/`,
    'https://www.instagram.com/p/ABC$DE/',
    'https://www.instagram.com/p/ABC.DE/',
    'https://www.instagram.com/p/',
    'https://www.instagram.com/myuser/',
    'https://www.instagram.com/p/ABCDE/extra/',
    'https://www.instagram.com/a..b/p/ABCDE/',
    'https://www.instagram.com/explore/tags/ABCDE/',
    'https://www.instagram.com/p/ABCDE/\n',
    'https://www.instagram.com/p/AB\u0000CDE/',
    'https://www.instagram.com/p/ABCDE/\t',
    ' https://www.instagram.com/p/ABCDE/',
    'https://www.instagram.com/p/ABCDE/ ',
    'https://www.instagram.com/p/AB\u007fCDE/',
    `https://www.instagram.com/p/ABCDE/?x=${'a'.repeat(2000)}`,
  ],
  reel: [
    'https://www.instagram.com/p/ABCDE/',
    'https://www.instagram.com/tv/ABCDE/',
    'https://www.instagram.com/reel/ABCD/',
    'https://evil.com/reel/ABCDE/',
    'javascript:alert(1)',
    'myusername',
    'https://www.instagram.com/reel/ABCDE/\r',
  ],
  user: [
    '',
    '@',
    '@@myuser',
    'my..user',
    '.myuser',
    'myuser.',
    'a'.repeat(31),
    'my user',
    'my-user',
    'myuser!',
    'myuser\n',
    'my\u0000user',
    'javascript:alert(1)',
    'https://evil.com/myuser/',
    'https://www.instagram.com/p/ABCDE/',
    'https://www.instagram.com/.myuser/',
    'https://www.instagram.com/my..user/',
    'ftp://instagram.com/myuser',
    `${'a'.repeat(2001)}`,
  ],
};

describeEachDatabase('api v2 contract §5: link types', (db) => {
  let baseUrl = '';
  let stop: () => Promise<void>;
  let key = '';
  const serviceOf = { post: 1017, reel: 5, user: 2 } as const;
  const errorOf = { post: POST_ERROR, reel: REEL_ERROR, user: USER_ERROR } as const;

  beforeAll(async () => {
    const server = await startApiServer(db());
    baseUrl = server.baseUrl;
    stop = () => server.app.close();
    await createTestService(db(), {}, serviceOf.post);
    await createTestService(
      db(),
      { name: 'Reel views', category: 'Views', linkType: 'reel_url' },
      serviceOf.reel,
    );
    await createTestService(
      db(),
      { name: 'Followers', category: 'Followers', linkType: 'username' },
      serviceOf.user,
    );
    key = (await createCustomer(db(), 100_000_000)).apiKey;
  });
  afterAll(() => stop());

  for (const kind of ['post', 'reel', 'user'] as const) {
    describe(`${kind} links`, () => {
      it.each(ACCEPTED[kind])('accepts %j and stores it as %j', async (link, stored) => {
        const response = await callApi(baseUrl, {
          key,
          action: 'add',
          service: serviceOf[kind],
          link,
          quantity: 25,
        });
        expect(response.body).toEqual({ order: expect.any(Number) });
        const order = await storedOrder(db(), (response.body as { order: number }).order);
        expect(order.link).toBe(stored);
      });

      it.each(REJECTED[kind].map((link) => [link]))('refuses %j with the link type error', async (link) => {
        const before = await snapshot(db());
        const response = await callApi(baseUrl, {
          key,
          action: 'add',
          service: serviceOf[kind],
          link,
          quantity: 25,
        });
        expect(response.status).toBe(200);
        expect(response.body).toEqual({ error: errorOf[kind] });
        expect(await snapshot(db())).toEqual(before);
      });
    });
  }

  it('refuses a missing link or a non-text one with the link type error', async () => {
    for (const link of [undefined, null, ['https://www.instagram.com/p/ABCDE/'], { a: 1 }, true]) {
      const response = await callApi(baseUrl, {
        key,
        action: 'add',
        service: serviceOf.post,
        quantity: 25,
        ...(link === undefined ? {} : { link }),
      });
      expect(response.body, JSON.stringify(link)).toEqual({ error: POST_ERROR });
    }
  });
});
