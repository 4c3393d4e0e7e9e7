import type { ApiProfile } from '../domain/api-profile.js';

/** A batch's answer as it was read, with what it was read under. */
export interface KeptAnswer {
  readonly accountId: number;
  readonly apiProfile: ApiProfile;
  /** The account's order_status_stamps stamp (migration 024) in the snapshot the answer was read in. */
  readonly stamp: number;
  /** KeyedStatuses's members: every id was found (no `null` is ever kept). */
  readonly members: string;
}

/**
 * About 340 batches of a hundred orders (~11,000 characters each, with their ~770-character
 * key): the batches a node's busy panels poll, at a few megabytes of the API node's 150 MB
 * (issue 12's growth aim). Keys count too, so that many one-order batches take no more room.
 */
const MAX_KEPT_CHARS = 4_000_000;

/**
 * The last answer of each batch a key polled, by key hash and the ids asked (ascending): a
 * panel polls the same hundred orders all day, and most polls find nothing changed. Nothing
 * here is trusted by itself: the next poll's statement checks the key as always and compares
 * the account, its profile and its stamp with the kept ones in the same snapshot, and reads the
 * orders again only when one differs (api-reads.ts). Oldest first out when full.
 */
export class StatusAnswersKept {
  private readonly byRequest = new Map<string, KeptAnswer>();
  private keptChars = 0;
  /** Batches answered from memory and read again, for tests and the bench. */
  readonly stats = { hits: 0, misses: 0 };

  get(keyHash: string, idsText: string): KeptAnswer | undefined {
    return this.byRequest.get(`${keyHash} ${idsText}`);
  }

  keep(keyHash: string, idsText: string, answer: KeptAnswer): void {
    const request = `${keyHash} ${idsText}`;
    this.forgetRequest(request);
    const chars = request.length + answer.members.length;
    if (chars > MAX_KEPT_CHARS) return;
    this.byRequest.set(request, answer);
    this.keptChars += chars;
    for (const oldest of this.byRequest.keys()) {
      if (this.keptChars <= MAX_KEPT_CHARS) break;
      this.forgetRequest(oldest);
    }
  }

  forget(keyHash: string, idsText: string): void {
    this.forgetRequest(`${keyHash} ${idsText}`);
  }

  private forgetRequest(request: string): void {
    const kept = this.byRequest.get(request);
    if (!kept) return;
    this.byRequest.delete(request);
    this.keptChars -= request.length + kept.members.length;
  }
}
