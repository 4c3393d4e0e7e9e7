import { describe, expect, it } from 'vitest';
import { weakPasswordText } from './password-feedback.js';

describe('weakPasswordText', () => {
  it("words the strength checker's feedback keys in the page's language", () => {
    const feedback = { warning: 'topTen', suggestions: ['anotherWord'] };
    expect(weakPasswordText('en', feedback)).toBe(
      'This password is too easy to guess. This is a heavily used password. Add more words that are less common.',
    );
    expect(weakPasswordText('it', feedback)).toBe(
      'Questa password è troppo facile da indovinare. Questa è una password molto usata. Aggiungi un maggior numero di parole meno comuni.',
    );
  });

  it('leaves out keys it does not know, and advises in general without suggestions', () => {
    expect(weakPasswordText('en', { warning: 'noSuchKey', suggestions: [] })).toBe(
      'This password is too easy to guess. Use more uncommon words, or a phrase only you know.',
    );
  });
});
