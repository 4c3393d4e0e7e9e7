import { type IncomingHttpHeaders, request } from 'node:http';

export interface AddressedReply {
  status: number;
  text: string;
  headers: IncomingHttpHeaders;
}

/**
 * A WebClient whose connections leave from a chosen loopback address (127.0.0.2, 127.0.0.3...),
 * so the server sees each client at an address of its own (no proxy header is trusted).
 */
export class AddressedClient {
  readonly cookies = new Map<string, string>();
  constructor(
    readonly baseUrl: string,
    readonly localAddress: string,
    readonly userAgent = 'inspiria-test',
  ) {}

  send(method: string, path: string, body?: string): Promise<AddressedReply> {
    const cookie = [...this.cookies]
      .map(([name, value]) => `${name}=${encodeURIComponent(value)}`)
      .join('; ');
    const headers: Record<string, string> = { cookie, 'user-agent': this.userAgent };
    if (body !== undefined) headers['content-type'] = 'application/x-www-form-urlencoded';
    return new Promise((resolve, reject) => {
      const outgoing = request(
        `${this.baseUrl}${path}`,
        { method, headers, localAddress: this.localAddress, agent: false },
        (response) => {
          const chunks: Buffer[] = [];
          response.on('data', (chunk: Buffer) => chunks.push(chunk));
          response.on('end', () => {
            for (const line of response.headers['set-cookie'] ?? []) {
              const [pair = ''] = line.split(';');
              const index = pair.indexOf('=');
              const name = pair.slice(0, index);
              if (/max-age=0/i.test(line)) this.cookies.delete(name);
              else this.cookies.set(name, decodeURIComponent(pair.slice(index + 1)));
            }
            resolve({
              status: response.statusCode ?? 0,
              text: Buffer.concat(chunks).toString('utf8'),
              headers: response.headers,
            });
          });
          response.on('error', reject);
        },
      );
      outgoing.on('error', reject);
      outgoing.end(body);
    });
  }

  get(path: string): Promise<AddressedReply> {
    return this.send('GET', path);
  }

  post(path: string, fields: Record<string, string>): Promise<AddressedReply> {
    return this.send('POST', path, new URLSearchParams(fields).toString());
  }

  async csrfFrom(path: string): Promise<string> {
    const page = await this.get(path);
    const match = /name="_csrf" value="([^"]+)"/.exec(page.text);
    if (!match?.[1]) throw new Error(`no CSRF field on ${path} (${page.status})`);
    return match[1];
  }
}
