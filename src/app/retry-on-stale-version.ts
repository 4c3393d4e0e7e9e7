/**
 * Orders are updated at a version (optimistic concurrency, contract §8): a write that finds the
 * version moved decides again from the new row. This is the one loop that does so, with one
 * bound, for the cancel, the engine's bookkeeping and the operator's steps.
 */
export const STALE = Symbol('stale version');

const MAX_TRIES = 20;

export async function retryOnStaleVersion<T>(
  what: string,
  attempt: () => Promise<T | typeof STALE>,
): Promise<T> {
  for (let tries = 0; tries < MAX_TRIES; tries++) {
    const outcome = await attempt();
    if (outcome !== STALE) return outcome;
  }
  // Twenty lost races in a row means something rewrites the order in a loop: a bug, not load.
  throw new Error(`${what} kept losing races to other writers`);
}
