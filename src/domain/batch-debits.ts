/**
 * The debits of one account's orders that share a transaction, decided in memory under the
 * one lock of its balance row: each in turn, against the balance the ones before it left, as
 * one conditional UPDATE per order would have decided them (contract §3: never below zero).
 */
export type DebitDecision =
  | { isApplied: true; balanceAfterUnits: number }
  /** The balance the refusal was decided on: it does not cover the charge. */
  | { isApplied: false; balanceUnits: number };

export interface BatchDebits {
  decisions: DebitDecision[];
  /** What the applied debits leave, and what they take together (positive). */
  finalBalanceUnits: number;
  debitedUnits: number;
}

export function decideBatchDebits(balanceUnits: number, chargesUnits: readonly number[]): BatchDebits {
  let balance = balanceUnits;
  const decisions = chargesUnits.map((charge): DebitDecision => {
    if (balance - charge < 0) return { isApplied: false, balanceUnits: balance };
    balance -= charge;
    return { isApplied: true, balanceAfterUnits: balance };
  });
  return { decisions, finalBalanceUnits: balance, debitedUnits: balanceUnits - balance };
}

export interface LowBalanceState {
  thresholdUnits: number | null;
  isNotified: boolean;
}

/**
 * The debit (its index) that first takes the balance below the account's low-balance
 * threshold, when the mail for this crossing is not sent yet: the one that mails it, as if
 * each order had checked after its own debit. undefined when none does.
 */
export function firstLowBalanceCrossing(
  state: LowBalanceState,
  decisions: readonly DebitDecision[],
): number | undefined {
  const { thresholdUnits } = state;
  if (state.isNotified || thresholdUnits === null) return undefined;
  const index = decisions.findIndex((d) => d.isApplied && d.balanceAfterUnits < thresholdUnits);
  return index < 0 ? undefined : index;
}
