import {
  type Agent,
  type ClientRequest,
  request as httpRequest,
  type IncomingMessage,
  type OutgoingHttpHeaders,
} from 'node:http';
import type { FaultProxyExchange } from './fault-proxy-fault.js';

/** Headers that belong to one connection, never forwarded as they are. */
const HOP_BY_HOP = new Set([
  'connection',
  'keep-alive',
  'proxy-connection',
  'transfer-encoding',
  'te',
  'trailer',
  'upgrade',
  'content-length',
]);

/** The target's complete answer, hop-by-hop headers removed. */
interface UpstreamAnswer {
  readonly status: number;
  readonly headers: OutgoingHttpHeaders;
  readonly body: Buffer;
}

/** Where and how the proxy forwards: the target, its connection pool, and the requests in flight. */
export interface ForwardTarget {
  readonly url: URL;
  readonly agent: Agent;
  /** Requests still in flight, so close() can destroy them. */
  readonly inFlight: Set<ClientRequest>;
}

/**
 * Sends the exact request on (same method, path, headers and body bytes, `Host` rewritten);
 * resolves with the complete answer, or `undefined` if the target could not be reached or
 * broke mid-answer. Marks `exchange` as forwarded and records the target's status.
 */
export function forwardToTarget(
  target: ForwardTarget,
  req: IncomingMessage,
  body: Buffer,
  exchange: FaultProxyExchange,
): Promise<UpstreamAnswer | undefined> {
  const headers: [string, string][] = [];
  for (let i = 0; i + 1 < req.rawHeaders.length; i += 2) {
    const name = req.rawHeaders[i] as string;
    const lower = name.toLowerCase();
    if (HOP_BY_HOP.has(lower) || lower === 'host') continue;
    headers.push([name, req.rawHeaders[i + 1] as string]);
  }
  headers.push(['Host', target.url.host]);
  // Only a request that carried a body gets a length: a GET keeps having none.
  if (body.length > 0 || req.headers['content-length'] !== undefined) {
    headers.push(['Content-Length', String(body.length)]);
  }
  exchange.forwarded = true;
  return new Promise((resolve) => {
    const outgoing = httpRequest(
      {
        host: target.url.hostname,
        port: target.url.port,
        method: req.method,
        path: req.url,
        headers: headers.flat(),
        agent: target.agent,
      },
      (response) => {
        const chunks: Buffer[] = [];
        response.on('data', (chunk: Buffer) => chunks.push(chunk));
        response.on('error', () => resolve(undefined));
        response.on('end', () => {
          target.inFlight.delete(outgoing);
          const out: OutgoingHttpHeaders = {};
          for (const [name, value] of Object.entries(response.headers)) {
            if (value !== undefined && !HOP_BY_HOP.has(name)) out[name] = value;
          }
          exchange.upstreamStatus = response.statusCode ?? 502;
          resolve({
            status: response.statusCode ?? 502,
            headers: out,
            body: Buffer.concat(chunks),
          });
        });
      },
    );
    target.inFlight.add(outgoing);
    outgoing.on('error', () => {
      target.inFlight.delete(outgoing);
      resolve(undefined);
    });
    outgoing.end(body);
  });
}
