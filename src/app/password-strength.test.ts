import { describe, expect, it } from 'vitest';
import { judgePasswordStrength, MIN_PASSWORD_SCORE } from './password-strength.js';

describe('judgePasswordStrength (in its worker thread)', () => {
  it('answers each of several passwords judged at once with its own strength', async () => {
    const passwords = ['password', 'Tv9!q-Lumaca-Fenice-71', 'qwerty123', 'zG4#lP0@xW8&nR2'];
    const judged = await Promise.all(
      passwords.map((password) => judgePasswordStrength(password, ['mario.rossi@example.com'])),
    );
    expect(judged.map((one) => one.score >= MIN_PASSWORD_SCORE)).toEqual([false, true, false, true]);
    expect(judged.map((one) => one.warning)).toEqual(['topTen', null, 'common', null]);
  });
});
