import { describe, expect, it } from 'vitest';
import { isDomainError } from './errors.js';
import { fitToBalance, parseMassOrder } from './mass-order.js';

describe('parseMassOrder', () => {
  it('reads service|link|quantity lines, skipping blank ones and keeping line numbers', () => {
    const lines = parseMassOrder(
      '101|https://www.instagram.com/p/A1/|500\r\n\n #102 | someuser | 0050 \nnot a line\n7|a|b|x',
    );
    expect(lines.map((l) => [l.lineNumber, l.serviceId, l.link, l.quantity, l.malformed?.code])).toEqual([
      [1, 101, 'https://www.instagram.com/p/A1/', 500, undefined],
      [3, 102, 'someuser', 50, undefined],
      [4, undefined, undefined, undefined, 'mass_order_line_malformed'],
      [5, 7, 'a|b', null, undefined],
    ]);
  });

  it('leaves a service that is not an id and a quantity that is not a number to the order checks', () => {
    const [line] = parseMassOrder('likes|https://www.instagram.com/p/A1/|-5');
    expect(line?.serviceId).toBeUndefined();
    expect(line?.quantity).toBeNull();
  });

  it('refuses an empty text and more than 100 lines', () => {
    const refusal = (text: string) => {
      try {
        parseMassOrder(text);
      } catch (error) {
        return isDomainError(error) ? error.code : 'other';
      }
      return 'none';
    };
    expect(refusal(' \n\n ')).toBe('mass_order_empty');
    expect(refusal(Array.from({ length: 101 }, () => '1|a|1').join('\n'))).toBe('too_many_orders');
    expect(refusal(Array.from({ length: 100 }, () => '1|a|1').join('\n'))).toBe('none');
  });
});

describe('fitToBalance', () => {
  it('charges in order while the balance lasts; a cheaper later line may still fit', () => {
    expect(fitToBalance([400, 700, 300, 0], 1000)).toEqual({
      fits: [true, false, true, true],
      totalUnits: 700,
      leftUnits: [1000, 600, 600, 300],
    });
  });

  it('fits everything when the balance covers the sum exactly', () => {
    expect(fitToBalance([500, 500], 1000).fits).toEqual([true, true]);
  });
});
