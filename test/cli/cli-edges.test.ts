import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EXIT } from '../../src/cli/exit-codes.js';
import { main } from '../../src/cli/main.js';
import { KINDS } from '../../src/cli/provider-kinds.js';
import {
  type CheckoutSimulator,
  startCheckoutSimulator,
} from '../../src/testing/simulators/checkout.js';
import { capturedIo } from './cli-io.js';
import { tempConfig } from './temp-config.js';

const version = (
  JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as {
    version: string;
  }
).version;

describe('capture-kit --version', () => {
  it.each([['--version'], ['-v']])('%s prints the package version and exits 0', async (flag) => {
    const io = capturedIo();
    expect(await main([flag], io)).toBe(EXIT.ok);
    expect(io.out()).toBe(`${version}\n`);
  });
});

describe('capabilities needs no credentials', () => {
  it('with nothing configured, prints every kind with its defaults as a table', async () => {
    const io = capturedIo({});
    expect(await main(['capabilities'], io)).toBe(EXIT.ok);
    const out = io.out();
    expect(out).toContain('No provider configured');
    expect(out).toMatch(/^provider +full +partial +multiple/m);
    for (const kind of ['antom', 'alipayV2', 'checkout'])
      expect(out).toMatch(new RegExp(`^${kind} `, 'm'));
    expect(out).toContain('Why a flag is off:');
    expect(() => JSON.parse(out)).toThrow();
  });

  it('--json prints one object keyed by provider', async () => {
    const io = capturedIo({});
    expect(await main(['capabilities', '--json', '--card-brand', 'jcb'], io)).toBe(EXIT.ok);
    const parsed = JSON.parse(io.out()) as Record<string, { multipleCaptures: boolean }>;
    // Every registry kind, in registry order.
    expect(Object.keys(parsed)).toEqual([...KINDS]);
    expect(parsed.checkout?.multipleCaptures).toBe(false);
    expect(parsed.alipayV2?.multipleCaptures).toBe(true);
  });

  it('--provider picks one kind; an unknown one exits 2 naming the flag', async () => {
    const one = capturedIo({});
    expect(await main(['capabilities', '--provider', 'checkout', '--json'], one)).toBe(EXIT.ok);
    expect(Object.keys(JSON.parse(one.out()) as object)).toEqual(['checkout']);

    const bad = capturedIo({});
    expect(await main(['capabilities', '--provider', 'paypal'], bad)).toBe(EXIT.usage);
    expect(bad.err()).toContain('--provider "paypal" is not a provider kind');
    expect(bad.err()).toContain(KINDS.join(', '));
  });
});

describe('--amount is checked before anything else', () => {
  // No configuration at all: a usage error must win over the configuration error (3), and
  // over the not_attempted outcome (10) that used to come with a freshly generated key.
  it.each([
    [['--amount=-5']],
    [['--amount', '-5']],
    [['--amount', '1.5']],
    [['--amount', 'abc']],
    [['--amount', '0']],
    [['--amount', '35,00']],
  ])('%j exits 2 and names --amount', async (amountFlags) => {
    const io = capturedIo({});
    const argv = [
      'capture',
      '--provider',
      'checkout',
      '--payment-id',
      'pay_1',
      '--currency',
      'EUR',
    ];
    expect(await main([...argv, ...amountFlags], io)).toBe(EXIT.usage);
    expect(io.err()).toContain('--amount');
    expect(io.err()).not.toContain('idempotencyKey');
    expect(io.out()).toBe('');
  });

  it('--authorized-amount is checked the same way', async () => {
    const io = capturedIo({});
    const argv = [
      'capture',
      '--provider',
      'checkout',
      '--payment-id',
      'pay_1',
      '--currency',
      'EUR',
    ];
    expect(await main([...argv, '--authorized-amount', '12.50'], io)).toBe(EXIT.usage);
    expect(io.err()).toContain('--authorized-amount must be a whole number of minor units');
  });

  it('--final and --not-final together exit 2', async () => {
    const io = capturedIo({});
    const argv = ['capture', '--provider', 'checkout', '--payment-id', 'pay_1'];
    expect(await main([...argv, '--final', '--not-final'], io)).toBe(EXIT.usage);
    expect(io.err()).toContain('--final and --not-final');
  });
});

describe('against a configured Checkout.com simulator', () => {
  let sim: CheckoutSimulator;
  let env: NodeJS.ProcessEnv;

  beforeAll(async () => {
    sim = await startCheckoutSimulator();
    env = {
      CAPTURE_KIT_CHECKOUT_SECRET_KEY: sim.credentials.secretKey,
      CAPTURE_KIT_CHECKOUT_WEBHOOK_SECRET: sim.credentials.webhookSecret,
      CAPTURE_KIT_CHECKOUT_BASE_URL: sim.baseUrl,
    };
  });
  afterAll(() => sim.close());

  it.each([
    [['capture', '--payment-id', 'pay_1']],
    [['resolve', '--payment-id', 'pay_1', '--idempotency-key', 'k']],
    [['webhook', 'verify', '--body', 'package.json']],
    [['capabilities']],
  ])('an unknown --provider exits 2 for %j, naming the configured ones', async (argv) => {
    const io = capturedIo(env);
    const [command, ...rest] = argv;
    const args = command === 'webhook' ? [command, ...rest] : [command ?? '', ...rest];
    expect(await main([...args, '--provider', 'cko'], io)).toBe(EXIT.usage);
    expect(io.err()).toMatch(/--provider "cko" is not configured.*checkout/);
    expect(sim.requests).toHaveLength(0);
  });

  it('capabilities of a configured provider is a table unless --json', async () => {
    const io = capturedIo(env);
    expect(await main(['capabilities', '--card-brand', 'visa'], io)).toBe(EXIT.ok);
    expect(io.out()).toMatch(/^checkout +yes +yes +yes +yes +no +150/m);
    expect(io.out()).not.toContain('No provider configured');
  });

  it('a refusal names the flags, not the API fields', async () => {
    const payment = await sim.authorize({ amount: 1000n, currency: 'EUR', cardBrand: 'jcb' });
    const io = capturedIo(env);
    const argv = ['capture', '--provider', 'checkout', '--payment-id', payment.paymentId];
    const amount = ['--amount', '500', '--currency', 'EUR'];
    expect(await main([...argv, ...amount, '--not-final', '--card-brand', 'jcb'], io)).toBe(
      EXIT.notAttempted,
    );
    expect(io.err()).toContain('--not-final asks for more captures later');
    expect(io.err()).toContain('Pass --final');
    expect(io.err()).not.toMatch(/final: (true|false)/);
  });

  it('an unknown outcome spells out the resolve command, and that command works', async () => {
    const payment = await sim.authorize({ amount: 2500n, currency: 'EUR', cardBrand: 'visa' });
    const config = tempConfig({
      providers: {
        cko: {
          kind: 'checkout',
          secretKey: sim.credentials.secretKey,
          baseUrl: sim.baseUrl,
          // The fault hangs until the client gives up: keep that short.
          timeoutMs: 300,
        },
      },
    });
    try {
      sim.injectFault({ kind: 'timeout_after_commit' });
      const io = capturedIo({});
      const argv = ['capture', '--config', config.path, '--provider', 'cko'];
      expect(
        await main([...argv, '--payment-id', payment.paymentId, '--idempotency-key', 'edge-1'], io),
      ).toBe(EXIT.unknown);
      const command = /"capture-kit (resolve [^"]+)"/.exec(io.err())?.[1];
      expect(command).toBe(
        `resolve --provider cko --payment-id ${payment.paymentId} --idempotency-key edge-1`,
      );
      expect(io.err()).not.toContain('resolve()');

      const resolved = capturedIo({});
      const resolveArgv = [...(command ?? '').split(' '), '--config', config.path];
      expect(await main(resolveArgv, resolved)).toBe(EXIT.ok);
      expect(resolved.out()).toMatch(/^(succeeded|pending) /);
      expect((await sim.payment(payment.paymentId)).capturedTotal).toBe(2500n);
    } finally {
      config.remove();
    }
  });
});

describe('configuration errors point at what to set', () => {
  it('an environment configuration names the variable', async () => {
    const io = capturedIo({ CAPTURE_KIT_ANTOM_CLIENT_ID: 'SANDBOX_5YBZ0G2ZC0LE01234' });
    expect(await main(['capabilities'], io)).toBe(EXIT.config);
    expect(io.err()).toContain('CAPTURE_KIT_ANTOM_PRIVATE_KEY');
    expect(io.err()).not.toContain('antom({');
  });

  it('a config file names the key inside it', async () => {
    const config = tempConfig({
      providers: { cko: { kind: 'checkout', secretKey: 'pk_sbox_public_key_material' } },
    });
    try {
      const io = capturedIo({});
      expect(await main(['capabilities', '--config', config.path], io)).toBe(EXIT.config);
      expect(io.err()).toContain(
        `--config ${config.path}: providers.cko.secretKey is a public key`,
      );
      expect(io.err()).not.toContain('pk_sbox_public_key_material');
    } finally {
      config.remove();
    }
  });

  it('an unknown kind lists the kinds', async () => {
    const config = tempConfig({ providers: { pay: { kind: 'paypal' } } });
    try {
      const io = capturedIo({});
      expect(await main(['capabilities', '--config', config.path], io)).toBe(EXIT.config);
      expect(io.err()).toContain(
        `providers.pay.kind must be one of ${KINDS.map((kind) => `"${kind}"`).join(', ')}`,
      );
    } finally {
      config.remove();
    }
  });

  it('a JSON syntax error gives the line and column, never the content around it', async () => {
    const secret = 'sk_sbox_m73dzbpy7cf3gfd46xr4yj5xo4e';
    const config = tempConfig(
      `{\n  "providers": {\n    "cko": { "kind": "checkout", "secretKey": ${secret} }\n  }\n}\n`,
    );
    try {
      const io = capturedIo({});
      expect(await main(['capabilities', '--config', config.path], io)).toBe(EXIT.config);
      expect(io.err()).toContain('is not valid JSON (line 3, column 47)');
      expect(io.err()).not.toContain('sk_sbox');
      expect(io.err()).not.toContain('m73dz');
    } finally {
      config.remove();
    }
  });
});

describe('what the user typed is not echoed when it could be a secret', () => {
  const secret = 'sk_sbox_m73dzbpy7cf3gfd46xr4yj5xo4e';

  it.each([
    ['a stray positional argument', ['capture', '--provider', 'checkout', secret]],
    ['an unknown command', [secret]],
    ['an unknown flag', ['capture', `--${secret}`]],
    ['an unknown webhook subcommand', ['webhook', secret]],
    ['an unknown provider', ['capabilities', '--provider', secret]],
  ])('%s exits 2 without echoing it', async (_name, argv) => {
    const io = capturedIo({});
    expect(await main(argv, io)).toBe(EXIT.usage);
    expect(io.out() + io.err()).not.toContain('m73dz');
    expect(io.err()).toMatch(/not shown|Unknown command|Unknown flag/);
  });
});
