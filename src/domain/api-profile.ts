/**
 * contract §13: how /api/v2 words a few answers for one account. `inspiria` is the provider's
 * page; `perfectpanel` is what the reseller panels' clients (PerfectPanel, SmartPanel, ...)
 * expect. Everything else is identical in both.
 */
export const API_PROFILES = ['inspiria', 'perfectpanel'] as const;
export type ApiProfile = (typeof API_PROFILES)[number];

export const DEFAULT_API_PROFILE: ApiProfile = 'inspiria';

export function isApiProfile(value: unknown): value is ApiProfile {
  return API_PROFILES.some((profile) => profile === value);
}
