/** contract §13: `/api/v2/` is the same endpoint as `/api/v2`, for every method. */
export const API_V2_PATHS = ['/api/v2', '/api/v2/'] as const;

/** Whether a request URL (query string and all) names the endpoint. */
export function isApiV2Url(url: string): boolean {
  const path = url.split('?', 1)[0];
  return API_V2_PATHS.some((candidate) => candidate === path);
}
