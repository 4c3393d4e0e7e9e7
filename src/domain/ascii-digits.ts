/**
 * ASCII digits by character code: the wire's integers and ids are plain digits (contract §1),
 * and the API's hot paths test them a character at a time without a regular expression.
 */
export const DIGIT_ZERO = 48;
export const DIGIT_NINE = 57;

export const isAsciiDigit = (code: number): boolean => code >= DIGIT_ZERO && code <= DIGIT_NINE;

/** Whether every character is an ASCII digit (so also for the empty text). */
export function isAllAsciiDigits(text: string): boolean {
  for (let index = 0; index < text.length; index += 1)
    if (!isAsciiDigit(text.charCodeAt(index))) return false;
  return true;
}
