/** True when a query parameter's name, once decoded as the query parser decodes it, is `key`. */
function isKeyName(rawName: string): boolean {
  let name = rawName.replace(/\+/g, ' ');
  try {
    name = decodeURIComponent(name);
  } catch {
    // A malformed escape: judge the name as written.
  }
  return /^\s*key\s*($|\[)/i.test(name);
}

/**
 * A URL with the value of every `key` query parameter replaced: keys never reach a log line
 * (contract §2). Names are compared decoded, since `?k%65y=...` is read as `key` too.
 */
export function redactUrl(url: string): string {
  const queryStart = url.indexOf('?');
  if (queryStart === -1) return url;
  const hashStart = url.indexOf('#', queryStart);
  const query = url.slice(queryStart + 1, hashStart === -1 ? undefined : hashStart);
  const redacted = query
    .split('&')
    .map((pair) => {
      const equals = pair.indexOf('=');
      const name = equals === -1 ? pair : pair.slice(0, equals);
      return isKeyName(name) ? `${name}=[redacted]` : pair;
    })
    .join('&');
  return `${url.slice(0, queryStart + 1)}${redacted}`;
}
