/** contract §6: one comment per line, `\n` or `\r\n`, empty lines dropped. */
export function splitComments(text: string): string[] {
  return text
    .split(/\r?\n/)
    .map((line) => line.trim())
    .filter((line) => line !== '');
}
