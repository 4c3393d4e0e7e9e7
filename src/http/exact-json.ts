/**
 * contract §1: an integer is plain ASCII digits, so `{"quantity": 1e3}` must not become 1000,
 * nor `1.5`, `-1` or `100.0` a number the integer check might accept. JSON.parse cannot tell
 * `1e3` from `1000` afterwards, so before parsing, every number token that is not plain digits
 * is turned into a string holding its text, which the parameter readers then refuse.
 */
const NUMBER = /-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/y;

function quoteNonIntegerNumbers(text: string): string {
  let result = '';
  let copiedUpTo = 0;
  let index = 0;
  while (index < text.length) {
    const char = text[index];
    if (char === '"') {
      // Skip the string, escapes included.
      index += 1;
      while (index < text.length && text[index] !== '"') index += text[index] === '\\' ? 2 : 1;
      index += 1;
      continue;
    }
    if (char === '-' || (char !== undefined && char >= '0' && char <= '9')) {
      NUMBER.lastIndex = index;
      const token = NUMBER.exec(text)?.[0];
      if (!token) return text; // not JSON: let JSON.parse say so
      if (!/^\d+$/.test(token)) {
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
