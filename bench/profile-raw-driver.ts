/**
 * The raw-undici twin of profile-driver.ts, for side-by-side CPU profiles at concurrency 1:
 *   CAPTURE_KIT_LIB=node_modules/.cache/capture-kit-bench \
 *     node --cpu-prof --cpu-prof-dir=/tmp/prof-raw --import tsx bench/profile-raw-driver.ts 4000
 * then `npx tsx bench/cpu-profile-summary.ts <profile> 4000 12`. The same request bytes as
 * the raw contender of checkout-throughput.ts, one capture at a time.
 */
import { Pool } from 'undici';
import { checkoutCaptureRequest } from './checkout-capture-request.js';
import { buildLibrary, loadLibrary } from './library.js';
import { freshSegment, killChildren, paymentAt, startSimProcess } from './sim-client.js';

const count = Number(process.argv[2] ?? 4000);
const dir = process.env.CAPTURE_KIT_LIB ?? (await buildLibrary());
await loadLibrary(dir);
const sim = await startSimProcess('checkout', dir);
try {
  const segment = await freshSegment(sim, count + 200, { amount: 1000n, currency: 'EUR' } as const);
  const pool = new Pool(segment.endpoint.baseUrl, { connections: 128 });
  const auth = `Bearer ${segment.endpoint.credentials.secretKey}`;
  const one = async (i: number) => {
    const key = segment.key(i);
    const r = await pool.request(checkoutCaptureRequest(paymentAt(segment, i), key, auth));
    await r.body.text();
    if (r.statusCode !== 202) throw new Error(String(r.statusCode));
  };
  for (let i = 0; i < 200; i++) await one(count + i);
  const cpu = process.cpuUsage();
  const t = performance.now();
  for (let i = 0; i < count; i++) await one(i);
  const used = process.cpuUsage(cpu);
  process.stderr.write(
    `raw c=1: ${count} in ${(performance.now() - t).toFixed(0)} ms, client CPU ${((used.user + used.system) / count).toFixed(1)} µs\n`,
  );
  await pool.close();
} finally {
  await sim.close();
  killChildren();
}
