import { isAllAsciiDigits, isAsciiDigit } from '../domain/ascii-digits.js';

/**
 * contract §1: an integer is plain ASCII digits, so `{"quantity": 1e3}` must not become 1000,
 * nor `1.5`, `-1` or `100.0` a number the integer check might accept. JSON.parse cannot tell
 * `1e3` from `1000` afterwards, so before parsing, every number token that is not plain digits
 * is turned into a string holding its text, which the parameter readers then refuse.
 */
const NUMBER = /-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/y;

const QUOTE = 34;
const BACKSLASH = 92;
const MINUS = 45;

/** The index just past the string whose opening quote is at `open` (its end, if unclosed). */
function endOfString(text: string, open: number): number {
  let from = open + 1;
  for (;;) {
    const close = text.indexOf('"', from);
    if (close === -1) return text.length;
    let backslashes = 0;
    while (text.charCodeAt(close - 1 - backslashes) === BACKSLASH) backslashes += 1;
    // An even run of backslashes escapes itself, not the quote.
    if (backslashes % 2 === 0) return close + 1;
    from = close + 1;
  }
}

function quoteNonIntegerNumbers(text: string): string {
  let result = '';
  let copiedUpTo = 0;
  let index = 0;
  // Strings are skipped with indexOf rather than a character at a time: every API body is
  // mostly strings (the key, the link), and this runs on each one.
  while (index < text.length) {
    const code = text.charCodeAt(index);
    if (code === QUOTE) {
      index = endOfString(text, index);
      continue;
    }
    if (code === MINUS || isAsciiDigit(code)) {
      NUMBER.lastIndex = index;
      const token = NUMBER.exec(text)?.[0];
      if (!token) return text; // not JSON: let JSON.parse say so
      if (!isAllAsciiDigits(token)) {
        result += `${text.slice(copiedUpTo, index)}"${token}"`;
        copiedUpTo = index + token.length;
      }
      index += token.length;
      continue;
    }
    index += 1;
  }
  return copiedUpTo === 0 ? text : result + text.slice(copiedUpTo);
}

/** JSON.parse, with every number that is not plain digits kept as its text. */
export function parseJsonExactly(text: string): unknown {
  return JSON.parse(quoteNonIntegerNumbers(text));
}
