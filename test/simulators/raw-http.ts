import { connect } from 'node:net';

/** One HTTP/1.1 exchange written byte for byte, as another HTTP stack would write it. */
export interface RawHttpRequest {
  readonly method?: string;
  /** The request target exactly as it goes on the request line: `/path` or `http://host/path`. */
  readonly target: string;
  /** Header lines in order, names spelled exactly as given. */
  readonly headers: readonly (readonly [string, string])[];
  readonly body?: string;
}

/** What came back: status, lower-cased headers and the body text. */
export interface RawHttpResponse {
  readonly status: number;
  readonly headers: Readonly<Record<string, string>>;
  readonly body: string;
}

/**
 * Sends one request over a plain `net` socket — the only way to put an absolute-form target
 * (`POST http://127.0.0.1:port/… HTTP/1.1`) or odd header spellings on the wire, since
 * node:http and undici normalise both. Adds `Host`, `Content-Length` and `Connection: close`.
 */
export function rawHttp(url: string, request: RawHttpRequest): Promise<RawHttpResponse> {
  const { hostname, port } = new URL(url);
  const body = Buffer.from(request.body ?? '', 'utf8');
  const head = [
    `${request.method ?? 'POST'} ${request.target} HTTP/1.1`,
    `Host: ${hostname}:${port}`,
    ...request.headers.map(([name, value]) => `${name}: ${value}`),
    `Content-Length: ${body.length}`,
    'Connection: close',
    '',
    '',
  ].join('\r\n');
  return new Promise((resolve, reject) => {
    const socket = connect(Number(port), hostname);
    const chunks: Buffer[] = [];
    socket.on('data', (chunk: Buffer) => chunks.push(chunk));
    socket.on('error', reject);
    socket.on('end', () => {
      const text = Buffer.concat(chunks).toString('utf8');
      const split = text.indexOf('\r\n\r\n');
      const [statusLine = '', ...lines] = text.slice(0, split).split('\r\n');
      const headers: Record<string, string> = {};
      for (const line of lines) {
        const colon = line.indexOf(':');
        headers[line.slice(0, colon).trim().toLowerCase()] = line.slice(colon + 1).trim();
      }
      resolve({
        status: Number(statusLine.split(' ')[1]),
        headers,
        body: text.slice(split + 4),
      });
    });
    socket.write(Buffer.concat([Buffer.from(head, 'utf8'), body]));
  });
}

/** Python's `quote_plus` of a base64 signature (what the Antom Python SDK writes). */
export function quotePlus(base64: string): string {
  return base64.replaceAll('+', '%2B').replaceAll('/', '%2F').replaceAll('=', '%3D');
}

/** `datetime.fromtimestamp(int(time.time()), tz=timezone.utc).isoformat()` for `ms`. */
export function pythonIsoTime(ms: number): string {
  return new Date(Math.floor(ms / 1000) * 1000).toISOString().replace('.000Z', '+00:00');
}
