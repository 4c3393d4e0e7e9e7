import { describe, expect, it } from 'vitest';
import { splitComments } from './comments.js';

describe('splitComments (contract §6)', () => {
  it.each([
    ['one comment per line', 'Great!\nLove it\nWow', ['Great!', 'Love it', 'Wow']],
    ['\\r\\n line ends', 'Great!\r\nLove it\r\nWow\r\n', ['Great!', 'Love it', 'Wow']],
    ['mixed line ends', 'a\r\nb\nc', ['a', 'b', 'c']],
    ['empty lines dropped', '\n\nfirst\n\n\nsecond\n\n', ['first', 'second']],
    ['blank lines dropped', 'first\n   \n\t\nsecond', ['first', 'second']],
    ['surrounding spaces trimmed', '  spaced out  \n\tx\t', ['spaced out', 'x']],
    ['nothing', '', []],
    ['only line ends', '\r\n\n\r\n', []],
    ['emoji and accents kept', 'Bellissimo 😍\nche bello è', ['Bellissimo 😍', 'che bello è']],
    ['a lone \\r is not a line end', 'a\rb', ['a\rb']],
    ['duplicates kept: each is a comment to post', 'nice\nnice', ['nice', 'nice']],
  ])('%s', (_name, text, comments) => {
    expect(splitComments(text)).toEqual(comments);
  });

  it('counts the comments that set the quantity', () => {
    const text = Array.from({ length: 500 }, (_, index) => `comment ${index + 1}`).join('\r\n');
    expect(splitComments(`${text}\r\n`)).toHaveLength(500);
  });
});
