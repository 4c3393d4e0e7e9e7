/** contract §13: `/api/v2/` is the same endpoint as `/api/v2`, for every method. */
export const API_V2_PATHS = ['/api/v2', '/api/v2/'] as const;

/** Whether a request URL (query string and all) names the endpoint. */
export function isApiV2Url(url: string): boolean {
  // Asked up to three times per request (body parser, metrics, 404): no array built for it.
  const queryAt = url.indexOf('?');
  const path = queryAt === -1 ? url : url.slice(0, queryAt);
  return path === API_V2_PATHS[0] || path === API_V2_PATHS[1];
}
