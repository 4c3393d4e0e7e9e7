/** A URL with the value of every `key` query parameter replaced: keys never reach a log line. */
export function redactUrl(url: string): string {
  return url.replace(/([?&]key=)[^&#]*/gi, '$1[redacted]');
}
