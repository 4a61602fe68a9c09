import { once } from 'node:events';
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type CaptureClient, createCaptureClient } from '../../src/core/client.js';
import type { CaptureEvent } from '../../src/core/webhook-types.js';
import { antom } from '../../src/providers/antom/index.js';
import { checkout } from '../../src/providers/checkout/index.js';
import { type AntomSimulator, startAntomSimulator } from '../../src/testing/simulators/antom.js';
import {
  type CheckoutSimulator,
  startCheckoutSimulator,
} from '../../src/testing/simulators/checkout.js';

/**
 * Runs every framework recipe of docs/webhooks.md, taken from the page itself, against its
 * real framework on 127.0.0.1, with signed deliveries from the simulators. What is changed
 * before running a recipe: its `capture-client` import points at a module handing over a
 * client configured for the simulators, and it listens on a free loopback port. Each
 * replacement must match exactly once, so an edit to the page that the test no longer
 * understands fails here instead of silently testing something else.
 */
const root = new URL('../../', import.meta.url);
const workDir = new URL('test/docs/.generated-recipes/', root);

type Recipe = 'nextjs' | 'hono' | 'express' | 'fastify';

function recipe(name: Recipe): string {
  const page = readFileSync(new URL('docs/webhooks.md', root), 'utf8');
  const match = new RegExp(`<!-- recipe: ${name} -->\\n\`\`\`ts\\n([\\s\\S]*?)\`\`\``).exec(page);
  if (!match?.[1])
    throw new Error(`docs/webhooks.md has no \`\`\`ts block after <!-- recipe: ${name} -->`);
  return match[1];
}

function replaceOnce(source: string, search: string | RegExp, replacement: string): string {
  const count =
    typeof search === 'string'
      ? source.split(search).length - 1
      : (source.match(new RegExp(search.source, `${search.flags.replace('g', '')}g`)) ?? []).length;
  if (count !== 1) throw new Error(`expected ${String(search)} once in the recipe, found ${count}`);
  return source.replace(search, replacement);
}

/** The recipe as a module: the simulators' client, a loopback port, and `extra` exports. */
function prepare(name: Recipe, listen: [string | RegExp, string] | undefined, extra = ''): URL {
  let source = recipe(name);
  source = replaceOnce(
    source,
    /from '(?:\.\/|@\/lib\/)capture-client(?:\.js)?'/,
    "from './capture-client.js'",
  );
  if (listen) source = replaceOnce(source, listen[0], listen[1]);
  const file = new URL(`${name}-recipe.ts`, workDir);
  writeFileSync(file, `${source}\n${extra}`);
  return file;
}

interface RecipeEnvironment {
  client: CaptureClient;
  handleCaptureEvent: (event: CaptureEvent) => Promise<void>;
}

let cko: CheckoutSimulator;
let antomSim: AntomSimulator;
let client: CaptureClient;
const events: CaptureEvent[] = [];

beforeAll(async () => {
  [cko, antomSim] = await Promise.all([startCheckoutSimulator(), startAntomSimulator()]);
  client = createCaptureClient({
    providers: {
      cko: checkout({ ...cko.credentials, baseUrl: cko.baseUrl }),
      antom: antom({ ...antomSim.credentials, baseUrl: antomSim.baseUrl }),
    },
  });
  const environment: RecipeEnvironment = {
    client,
    handleCaptureEvent: async (event) => {
      events.push(event);
    },
  };
  (globalThis as { captureKitRecipes?: RecipeEnvironment }).captureKitRecipes = environment;
  mkdirSync(workDir, { recursive: true });
  writeFileSync(
    new URL('capture-client.ts', workDir),
    [
      "// Stands in for the page's capture-client.ts: the test's client, bound to the simulators.",
      'const environment = (globalThis as { captureKitRecipes?: any }).captureKitRecipes;',
      'export const client = environment.client;',
      'export const handleCaptureEvent = environment.handleCaptureEvent;',
      '',
    ].join('\n'),
  );
});

afterAll(async () => {
  await client.close();
  await Promise.all([cko.close(), antomSim.close()]);
  rmSync(workDir, { recursive: true, force: true });
});

async function listening(server: Server): Promise<string> {
  if (!server.listening) await once(server, 'listening');
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

async function closeServer(server: Server): Promise<void> {
  server.closeAllConnections();
  if (server.listening) await new Promise<void>((resolve) => server.close(() => resolve()));
}

/**
 * A real capture with each simulator, whose signed webhook goes to `origin`: both events
 * reach the handler and both providers get the acknowledgement they expect. Then a forged
 * delivery is refused with 401.
 */
async function deliverSignedWebhooks(
  origin: string,
  providers: readonly ('cko' | 'antom')[] = ['cko', 'antom'],
): Promise<void> {
  const before = events.length;
  const expected: unknown[] = [];
  if (providers.includes('cko')) {
    cko.setWebhookUrl(`${origin}/webhooks/cko`);
    const { paymentId } = await cko.authorize({
      amount: 6540n,
      currency: 'EUR',
      cardBrand: 'visa',
    });
    expect((await client.capture({ provider: 'cko', paymentId })).isOk()).toBe(true);
    await cko.settle();
    const deliveries = cko.webhookDeliveries.filter(
      (d) => d.paymentId === paymentId && d.type === 'payment_captured',
    );
    expect(deliveries.map((d) => [d.signed, d.status])).toEqual([[true, 200]]);
    expected.push(
      expect.objectContaining({ provider: 'cko', type: 'capture.succeeded', paymentId }),
    );
  }
  if (providers.includes('antom')) {
    antomSim.setWebhookUrl(`${origin}/webhooks/antom`);
    const { paymentId } = await antomSim.authorize({ amount: 2000n, currency: 'USD' });
    expect((await client.capture({ provider: 'antom', paymentId })).isOk()).toBe(true);
    await antomSim.settle();
    const notification = antomSim.notifications.find((n) => n.paymentId === paymentId);
    // `delivered` means Antom got its exact SUCCESS acknowledgement on the first attempt.
    expect(notification?.state).toBe('delivered');
    expect(notification?.attempts.map((a) => a.status)).toEqual([200]);
    expected.push(
      expect.objectContaining({ provider: 'antom', type: 'capture.succeeded', paymentId }),
    );
  }
  expect(events.slice(before)).toEqual(expected);

  const forged = await fetch(`${origin}/webhooks/cko`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'cko-signature': 'f'.repeat(64) },
    body: '{"id":"evt_forged","type":"payment_captured","data":{"id":"pay_forged"}}',
  });
  expect(forged.status).toBe(401);
  expect(events.length).toBe(before + providers.length);
}

describe('docs/webhooks.md recipes', () => {
  it('Express: express.raw() in a mounted router, node handler', async () => {
    const file = prepare('express', [
      'const server = app.listen(3000);',
      "export const server = app.listen(0, '127.0.0.1');",
    ]);
    const { server } = (await import(file.href)) as { server: Server };
    try {
      await deliverSignedWebhooks(await listening(server));
    } finally {
      await closeServer(server);
    }
  });

  it('Fastify: no body parsing in the webhook plugin, node handler on reply.raw', async () => {
    const file = prepare(
      'fastify',
      ['await app.listen({ port: 3000 });', "await app.listen({ port: 0, host: '127.0.0.1' });"],
      'export { app };\n',
    );
    const { app } = (await import(file.href)) as {
      app: { server: Server; close(): Promise<void> };
    };
    try {
      await deliverSignedWebhooks(await listening(app.server));
    } finally {
      app.server.closeAllConnections();
      await app.close();
    }
  });

  it('Hono on @hono/node-server: fetch handler on c.req.raw', async () => {
    const file = prepare('hono', [
      'const server = serve({ fetch: app.fetch, port: 3000 });',
      "export const server = serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' });",
    ]);
    const { server } = (await import(file.href)) as { server: Server };
    try {
      await deliverSignedWebhooks(await listening(server));
    } finally {
      await closeServer(server);
    }
  });

  describe('Next.js route handler (plain Request objects, no Next.js)', () => {
    let POST: (request: Request) => Promise<Response>;
    let runtime: string;

    beforeAll(async () => {
      ({ POST, runtime } = (await import(prepare('nextjs', undefined).href)) as {
        POST: (request: Request) => Promise<Response>;
        runtime: string;
      });
    });

    it('exports a Node.js route handler', () => {
      expect(runtime).toBe('nodejs');
      expect(typeof POST).toBe('function');
    });

    it("acknowledges the simulator's signed delivery, turned into a Request as Next.js does", async () => {
      // A loopback stand-in for the Next.js server: each request becomes a web Request for
      // the route's POST export, and its Response goes back to the simulator as is.
      const server = createServer(async (req, res) => {
        const chunks: Buffer[] = [];
        for await (const chunk of req) chunks.push(chunk as Buffer);
        const headers = new Headers();
        for (const [name, value] of Object.entries(req.headers)) {
          if (value !== undefined)
            headers.set(name, Array.isArray(value) ? value.join(', ') : value);
        }
        const response = await POST(
          new Request(`http://${req.headers.host}${req.url}`, {
            method: req.method ?? 'POST',
            headers,
            body: Buffer.concat(chunks),
          }),
        );
        res.writeHead(response.status, Object.fromEntries(response.headers));
        res.end(Buffer.from(await response.arrayBuffer()));
      });
      server.listen(0, '127.0.0.1');
      try {
        await deliverSignedWebhooks(await listening(server), ['cko']);
      } finally {
        await closeServer(server);
      }
    });

    it('answers 401 to a forged Request and 413 to an oversize one, without onEvent', async () => {
      const before = events.length;
      const forged = await POST(
        new Request('https://shop.example/webhooks/cko', {
          method: 'POST',
          headers: { 'content-type': 'application/json', 'cko-signature': '0'.repeat(64) },
          body: '{"type":"payment_captured"}',
        }),
      );
      expect(forged.status).toBe(401);
      const huge = await POST(
        new Request('https://shop.example/webhooks/cko', {
          method: 'POST',
          body: Buffer.alloc(2 * 1024 * 1024, 0x20),
        }),
      );
      expect(huge.status).toBe(413);
      expect(events.length).toBe(before);
    });
  });
});
