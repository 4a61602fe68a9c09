import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EXIT } from '../../src/cli/exit-codes.js';
import { main } from '../../src/cli/main.js';
import { signCheckoutWebhook } from '../../src/providers/checkout/signing.js';
import {
  type CheckoutSimulator,
  startCheckoutSimulator,
} from '../../src/testing/simulators/checkout.js';
import { capturedIo } from './cli-io.js';

describe('capture-kit --help', () => {
  it('prints the command list and exits 0', async () => {
    const io = capturedIo();
    expect(await main(['--help'], io)).toBe(EXIT.ok);
    expect(io.out()).toContain('Usage: capture-kit <command>');
    for (const command of ['demo', 'capabilities', 'capture', 'resolve', 'webhook verify']) {
      expect(io.out()).toContain(command);
    }
  });

  it('with no command prints usage to stderr and exits 2', async () => {
    const io = capturedIo();
    expect(await main([], io)).toBe(EXIT.usage);
    expect(io.err()).toContain('Usage: capture-kit <command>');
  });

  it.each([
    ['demo', 'Usage: capture-kit demo'],
    ['capabilities', 'Usage: capture-kit capabilities'],
    ['capture', 'Usage: capture-kit capture'],
    ['resolve', 'Usage: capture-kit resolve'],
  ])('%s --help documents its flags and exit codes', async (command, usage) => {
    const io = capturedIo();
    expect(await main([command, '--help'], io)).toBe(EXIT.ok);
    expect(io.out()).toContain(usage);
    expect(io.out()).toContain('Exit codes');
  });

  it('webhook verify --help documents its flags', async () => {
    const io = capturedIo();
    expect(await main(['webhook', 'verify', '--help'], io)).toBe(EXIT.ok);
    expect(io.out()).toContain('Usage: capture-kit webhook verify');
    expect(io.out()).toContain('--body');
  });
});

describe('usage errors name the flag at fault', () => {
  it('an unknown command exits 2', async () => {
    const io = capturedIo();
    expect(await main(['captur'], io)).toBe(EXIT.usage);
    expect(io.err()).toContain('Unknown command "captur"');
  });

  it('an unknown flag exits 2 and names it', async () => {
    const io = capturedIo();
    expect(await main(['capture', '--payment', 'pay_1'], io)).toBe(EXIT.usage);
    expect(io.err()).toContain('Unknown flag "--payment"');
    expect(io.err()).toContain('Did you mean --payment-id?');
    expect(io.err()).toContain('capture-kit capture --help');
  });

  it('a missing required flag exits 2 and names it', async () => {
    const io = capturedIo();
    expect(await main(['capture', '--provider', 'checkout'], io)).toBe(EXIT.usage);
    expect(io.err()).toContain('--payment-id is required');
  });

  it('--amount without --currency exits 2', async () => {
    const io = capturedIo();
    expect(
      await main(
        ['capture', '--provider', 'checkout', '--payment-id', 'pay_1', '--amount', '10'],
        io,
      ),
    ).toBe(EXIT.usage);
    expect(io.err()).toContain('--amount and --currency go together');
  });

  it('no configuration exits 3 and explains where settings come from', async () => {
    const io = capturedIo({});
    expect(
      await main(
        ['resolve', '--provider', 'checkout', '--payment-id', 'p', '--idempotency-key', 'k'],
        io,
      ),
    ).toBe(EXIT.config);
    expect(io.err()).toContain('No provider is configured');
    expect(io.err()).toContain('CAPTURE_KIT_CHECKOUT_SECRET_KEY');
  });

  it('a bad setting exits 3, names its environment variable, and never echoes the secret', async () => {
    const io = capturedIo({ CAPTURE_KIT_CHECKOUT_SECRET_KEY: 'not-a-real-key-material-0123' });
    expect(await main(['capabilities'], io)).toBe(EXIT.config);
    expect(io.err()).toContain('CAPTURE_KIT_CHECKOUT_SECRET_KEY must start with sk_');
    expect(io.err()).not.toContain('not-a-real-key-material-0123');
  });

  it('an unknown webhook subcommand exits 2', async () => {
    const io = capturedIo();
    expect(await main(['webhook', 'check'], io)).toBe(EXIT.usage);
    expect(io.err()).toContain('the only one is "verify"');
  });
});

describe('against the Checkout.com simulator', () => {
  let sim: CheckoutSimulator;
  let env: NodeJS.ProcessEnv;
  let dir: string;

  beforeAll(async () => {
    sim = await startCheckoutSimulator();
    env = {
      CAPTURE_KIT_CHECKOUT_SECRET_KEY: sim.credentials.secretKey,
      CAPTURE_KIT_CHECKOUT_WEBHOOK_SECRET: sim.credentials.webhookSecret,
      CAPTURE_KIT_CHECKOUT_BASE_URL: sim.baseUrl,
    };
    dir = mkdtempSync(join(tmpdir(), 'capture-kit-cli-'));
  });

  afterAll(async () => {
    await sim.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('capabilities prints the matrix for a card brand', async () => {
    const io = capturedIo(env);
    expect(await main(['capabilities', '--card-brand', 'visa', '--json'], io)).toBe(EXIT.ok);
    const parsed = JSON.parse(io.out()) as Record<string, { multipleCaptures: boolean }>;
    expect(parsed.checkout?.multipleCaptures).toBe(true);
  });

  it('capture sends a capture, prints JSON and exits 0; the secret never appears', async () => {
    const payment = await sim.authorize({ amount: 6540n, currency: 'EUR', cardBrand: 'visa' });
    const io = capturedIo(env);
    const code = await main(
      [
        'capture',
        '--provider',
        'checkout',
        '--payment-id',
        payment.paymentId,
        '--amount',
        '3500',
        '--currency',
        'EUR',
        '--not-final',
        '--card-brand',
        'visa',
        '--idempotency-key',
        'cli-test-1',
        '--json',
      ],
      io,
    );
    expect(code).toBe(EXIT.ok);
    const out = JSON.parse(io.out()) as {
      ok: boolean;
      capture: { status: string; idempotencyKey: string };
    };
    expect(out).toMatchObject({
      ok: true,
      capture: { status: 'pending', idempotencyKey: 'cli-test-1' },
    });
    expect((await sim.payment(payment.paymentId)).capturedTotal).toBe(3500n);
    expect(io.out() + io.err()).not.toContain(sim.credentials.secretKey);
  });

  it('an over-capture exits 11 (failed) with the normalized code', async () => {
    const payment = await sim.authorize({ amount: 1000n, currency: 'EUR', cardBrand: 'visa' });
    const io = capturedIo(env);
    const code = await main(
      [
        'capture',
        '--provider',
        'checkout',
        '--payment-id',
        payment.paymentId,
        '--amount',
        '5000',
        '--currency',
        'EUR',
      ],
      io,
    );
    expect(code).toBe(EXIT.failed);
    expect(io.err()).toContain('failed (amount_exceeds_authorized)');
  });

  it('resolve finds a capture by its key', async () => {
    const payment = await sim.authorize({ amount: 2000n, currency: 'EUR', cardBrand: 'visa' });
    const capture = capturedIo(env);
    await main(
      [
        'capture',
        '--provider',
        'checkout',
        '--payment-id',
        payment.paymentId,
        '--idempotency-key',
        'cli-resolve-1',
      ],
      capture,
    );
    const io = capturedIo(env);
    expect(
      await main(
        [
          'resolve',
          '--provider',
          'checkout',
          '--payment-id',
          payment.paymentId,
          '--idempotency-key',
          'cli-resolve-1',
        ],
        io,
      ),
    ).toBe(EXIT.ok);
    expect(io.out()).toContain('succeeded');
  });

  it('webhook verify accepts a signed file and rejects a tampered one', async () => {
    const body = JSON.stringify({
      id: 'evt_cli_1',
      type: 'payment_captured',
      version: '1.0.0',
      created_on: '2026-11-21T10:00:00Z',
      data: {
        id: 'pay_cli_1',
        action_id: 'act_cli_1',
        amount: 100,
        currency: 'EUR',
        response_code: '10000',
      },
    });
    const bodyFile = join(dir, 'body.json');
    const tamperedFile = join(dir, 'tampered.json');
    writeFileSync(bodyFile, body);
    writeFileSync(tamperedFile, body.replace('"amount":100', '"amount":900'));
    const signature = `cko-signature: ${signCheckoutWebhook(body, sim.credentials.webhookSecret)}`;

    const ok = capturedIo(env);
    expect(
      await main(
        ['webhook', 'verify', '--provider', 'checkout', '--body', bodyFile, '--header', signature],
        ok,
      ),
    ).toBe(EXIT.ok);
    expect(ok.out()).toContain('verified capture.succeeded id=evt_cli_1');

    const bad = capturedIo(env);
    expect(
      await main(
        [
          'webhook',
          'verify',
          '--provider',
          'checkout',
          '--body',
          tamperedFile,
          '--header',
          signature,
        ],
        bad,
      ),
    ).toBe(EXIT.webhookRejected);
    expect(bad.err()).toContain('rejected (signature_invalid)');
  });

  it('a config file can read secrets from the environment and from files', async () => {
    const secretFile = join(dir, 'secret.txt');
    writeFileSync(secretFile, `${sim.credentials.webhookSecret}\n`);
    const configFile = join(dir, 'capture-kit.json');
    writeFileSync(
      configFile,
      JSON.stringify({
        providers: {
          cko: {
            kind: 'checkout',
            secretKey: { env: 'MY_CKO_KEY' },
            webhookSecret: { file: 'secret.txt' },
            baseUrl: sim.baseUrl,
          },
        },
      }),
    );
    const io = capturedIo({ MY_CKO_KEY: sim.credentials.secretKey });
    expect(
      await main(['capabilities', '--config', configFile, '--provider', 'cko', '--json'], io),
    ).toBe(EXIT.ok);
    expect(JSON.parse(io.out())).toHaveProperty('cko');
  });
});

describe('secrets are refused on the command line', () => {
  it('--secret-key exits 2 and says where secrets come from', async () => {
    const io = capturedIo();
    expect(await main(['capture', '--secret-key', 'sk_sbox_whatever'], io)).toBe(EXIT.usage);
    expect(io.err()).toContain('secrets come only from the environment or the --config file');
    expect(io.err()).not.toContain('sk_sbox_whatever');
  });
});
