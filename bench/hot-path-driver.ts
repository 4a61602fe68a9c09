/**
 * The library's own work per Checkout.com capture, with no network: the compiled library,
 * its Checkout.com adapter, and an in-process undici dispatcher that answers every request
 * `202 Accepted` one event-loop turn later (as a socket read would).
 *
 *   npx tsx bench/hot-path-driver.ts <kit|transport> [captures=20000] [rounds=5]
 *
 * `kit` is `client.capture()` (validation, journal begin and settle, the adapter's body and
 * headers, the transport, the 202's parsing); `transport` sends the same bytes with the
 * provider kit's transport alone. The difference is what capture-kit adds above HTTP.
 * Timings here move with the machine; for a figure that does not, count instructions:
 *
 *   valgrind --tool=callgrind --callgrind-out-file=/tmp/cg.%p node --import tsx \
 *     bench/hot-path-driver.ts kit 2000 1
 *
 * twice (2 000 and 4 000 captures) and divide the difference of the totals by 2 000.
 */
import { acceptingDispatcher } from './accepting-dispatcher.js';
import { checkoutCaptureRequest } from './checkout-capture-request.js';
import { buildLibrary, loadLibrary, moduleUrl } from './library.js';

const [mode = 'kit', countText = '20000', roundsText = '5'] = process.argv.slice(2);
if (mode !== 'kit' && mode !== 'transport') throw new Error('mode must be kit or transport');
const count = Number(countText);
const rounds = Number(roundsText);

const dir = process.env.CAPTURE_KIT_LIB ?? (await buildLibrary());
const lib = await loadLibrary(dir);
const { memoryJournal } = (await import(moduleUrl(dir, 'core/memory-journal.js'))) as {
  memoryJournal: (options: { maxOpen: number }) => unknown;
};
const { createTransport } = (await import(moduleUrl(dir, 'provider-kit/transport.js'))) as {
  createTransport: typeof import('../src/provider-kit/transport.js').createTransport;
};
const dispatcher = acceptingDispatcher();
const baseUrl = 'https://api.sandbox.checkout.com';
const secretKey = 'sk_sbox_hot_path_driver_0000000000';
const client = lib.createCaptureClient({
  providers: {
    p: lib.checkout({ secretKey, webhookSecret: 'whsec_driver', baseUrl, dispatcher } as never),
  },
  // Every 202 leaves a pending intent; room for all of them (no webhooks here).
  journal: memoryJournal({ maxOpen: (count + 1000) * (rounds + 1) }) as never,
});
const transport = createTransport({ baseUrl, dispatcher });

let next = 0;
const paymentId = (i: number) => `pay_${i.toString(36).padStart(26, '0')}`;
const op =
  mode === 'kit'
    ? async () => {
        const i = next++;
        const result = await client.capture({
          provider: 'p',
          paymentId: paymentId(i),
          amount: { currency: 'EUR', value: 1000n },
          idempotencyKey: `bench-${i}`,
        });
        if (result.isErr()) throw new Error(result.error.message);
      }
    : async () => {
        const i = next++;
        const key = `bench-${i}`;
        const result = await transport.send(
          checkoutCaptureRequest(paymentId(i), key, `Bearer ${secretKey}`),
        );
        if (result.isErr() || result.value.status !== 202) throw new Error('transport failed');
        JSON.parse(result.value.body.toString('utf8'));
      };

for (let i = 0; i < 1000; i++) await op();
for (let round = 0; round < rounds; round++) {
  const cpu = process.cpuUsage();
  const started = performance.now();
  for (let i = 0; i < count; i++) await op();
  const used = process.cpuUsage(cpu);
  process.stderr.write(
    `${mode}: ${(((performance.now() - started) * 1000) / count).toFixed(1)} µs wall, ${((used.user + used.system) / count).toFixed(1)} µs CPU per capture\n`,
  );
}
await client.close();
await transport.close();
