import { describe, expect, it } from 'vitest';
import { isApiV2Url } from '../src/http/api-v2-path.js';

describe('isApiV2Url', () => {
  it('names the endpoint with or without its slash, query string and all', () => {
    for (const url of ['/api/v2', '/api/v2/', '/api/v2?key=a&action=balance', '/api/v2/?', '/api/v2?'])
      expect(isApiV2Url(url), url).toBe(true);
  });

  it('names nothing else', () => {
    for (const url of ['/api/v22', '/api/v2//', '/api', '/', '', '/API/V2', '/api/v2x?/api/v2', '?/api/v2'])
      expect(isApiV2Url(url), url).toBe(false);
  });
});
