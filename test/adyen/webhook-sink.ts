import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

/** A loopback receiver that records webhook bodies and answers `[accepted]`. */
export interface WebhookSink {
  readonly url: string;
  readonly bodies: string[];
  close(): Promise<void>;
}

export async function startWebhookSink(): Promise<WebhookSink> {
  const bodies: string[] = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      bodies.push(Buffer.concat(chunks).toString('utf8'));
      res.writeHead(200, { 'content-type': 'text/plain' }).end('[accepted]');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/webhooks/adyen`,
    bodies,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
