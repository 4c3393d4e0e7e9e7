import { describe, expect, it } from 'vitest';
import { decideBatchDebits, firstLowBalanceCrossing } from './batch-debits.js';

describe('debits decided together', () => {
  it('takes each charge the balance left by the ones before still covers, and refuses the others', () => {
    const { decisions, finalBalanceUnits, debitedUnits } = decideBatchDebits(1000, [600, 500, 300, 100, 0]);
    expect(decisions).toEqual([
      { isApplied: true, balanceAfterUnits: 400 },
      { isApplied: false, balanceUnits: 400 },
      { isApplied: true, balanceAfterUnits: 100 },
      { isApplied: true, balanceAfterUnits: 0 },
      { isApplied: true, balanceAfterUnits: 0 },
    ]);
    expect(finalBalanceUnits).toBe(0);
    expect(debitedUnits).toBe(1000);
  });

  it('refuses everything on an empty balance but a free order', () => {
    const { decisions, debitedUnits } = decideBatchDebits(0, [1, 0]);
    expect(decisions).toEqual([
      { isApplied: false, balanceUnits: 0 },
      { isApplied: true, balanceAfterUnits: 0 },
    ]);
    expect(debitedUnits).toBe(0);
  });

  it('mails at the first debit that goes below the threshold, once, and never for a refusal', () => {
    const { decisions } = decideBatchDebits(1000, [200, 900, 300, 300]);
    // 800, refused at 800, 500 (below 600: this one), 200.
    expect(firstLowBalanceCrossing({ thresholdUnits: 600, isNotified: false }, decisions)).toBe(2);
    expect(firstLowBalanceCrossing({ thresholdUnits: 600, isNotified: true }, decisions)).toBeUndefined();
    expect(firstLowBalanceCrossing({ thresholdUnits: null, isNotified: false }, decisions)).toBeUndefined();
    expect(firstLowBalanceCrossing({ thresholdUnits: 100, isNotified: false }, decisions)).toBeUndefined();
  });
});
