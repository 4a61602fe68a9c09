/**
 * Profiling driver (bench/FINDINGS.md): runs captures against a simulator in its own
 * process with the compiled library, so `node --cpu-prof` sees what ships.
 *
 *   npx tsx bench/profile-driver.ts <checkout|antom> <concurrency> <captures> [--burst]
 *   node --cpu-prof --cpu-prof-dir=/tmp/prof --import tsx bench/profile-driver.ts antom 16 3000
 *
 * With `--burst` every capture starts at once (the event-loop delay case). To profile
 * another build (before/after), point CAPTURE_KIT_LIB at its compiled directory.
 */
import { buildLibrary, loadLibrary } from './library.js';
import { freshSegment, killChildren, paymentAt, startSimProcess } from './sim-client.js';

const [kind = 'checkout', concurrencyText = '1', countText = '2000'] = process.argv.slice(2);
const burst = process.argv.includes('--burst');
if (kind !== 'checkout' && kind !== 'antom') throw new Error('kind must be checkout or antom');
const concurrency = Number(concurrencyText);
const count = Number(countText);
const payment = { amount: 1000n, currency: kind === 'antom' ? 'USD' : 'EUR' } as const;

const dir = process.env.CAPTURE_KIT_LIB ?? (await buildLibrary());
const lib = await loadLibrary(dir);
const sim = await startSimProcess(kind, dir);
try {
  const segment = await freshSegment(sim, count + 200, payment);
  const settings = { ...segment.endpoint.credentials, baseUrl: segment.endpoint.baseUrl };
  const adapter =
    kind === 'antom'
      ? lib.antom({ ...(settings as Record<string, string>), timeoutMs: 300_000 } as never)
      : lib.checkout(settings as never);
  const client = lib.createCaptureClient({ providers: { p: adapter } });
  const capture = async (i: number) => {
    const result = await client.capture({
      provider: 'p',
      paymentId: paymentAt(segment, i),
      amount: { currency: payment.currency, value: payment.amount },
      idempotencyKey: segment.key(i),
    });
    if (result.isErr()) throw new Error(result.error.message);
  };
  for (let i = 0; i < 200; i++) await capture(count + i);
  const cpu = process.cpuUsage();
  const started = performance.now();
  if (burst) {
    const all = Promise.all(Array.from({ length: count }, (_, i) => capture(i)));
    const startedTurn = performance.now();
    // How long the turn that started the burst ran on (microtasks included).
    setImmediate(() =>
      process.stderr.write(
        `the burst's first turn: ${(performance.now() - startedTurn).toFixed(0)} ms\n`,
      ),
    );
    await all;
  } else {
    let next = 0;
    await Promise.all(
      Array.from({ length: concurrency }, async () => {
        while (next < count) await capture(next++);
      }),
    );
  }
  const ms = performance.now() - started;
  const used = process.cpuUsage(cpu);
  process.stderr.write(
    `${kind} ${burst ? 'burst' : `c=${concurrency}`}: ${count} captures in ${ms.toFixed(0)} ms (${((count / ms) * 1000).toFixed(0)}/s), client CPU ${((used.user + used.system) / count).toFixed(1)} µs/capture\n`,
  );
  await client.close();
} finally {
  await sim.close();
  killChildren();
}
