/**
 * Summarizes a `.cpuprofile` (from `node --cpu-prof`): the frames with the most self time,
 * as a share of all samples and in µs per operation.
 *
 *   npx tsx bench/cpu-profile-summary.ts <file.cpuprofile> [operations] [top=20]
 */
import { readFile } from 'node:fs/promises';

interface ProfileNode {
  readonly id: number;
  readonly callFrame: {
    readonly functionName: string;
    readonly url: string;
    readonly lineNumber: number;
  };
}

interface CpuProfile {
  readonly nodes: readonly ProfileNode[];
  readonly samples: readonly number[];
  readonly timeDeltas: readonly number[];
}

const [file, opsText, topText = '20'] = process.argv.slice(2);
if (!file) throw new Error('usage: cpu-profile-summary <file.cpuprofile> [operations] [top]');
const profile = JSON.parse(await readFile(file, 'utf8')) as CpuProfile;
const byId = new Map(profile.nodes.map((node) => [node.id, node]));
const selfMicros = new Map<string, number>();
let total = 0;
profile.samples.forEach((id, i) => {
  const delta = profile.timeDeltas[i] ?? 0;
  const node = byId.get(id);
  if (!node) return;
  const { functionName, url, lineNumber } = node.callFrame;
  const where = url
    ? `${url.replace(/^.*\/(node_modules\/|src\/|bench\/)/, '$1')}:${lineNumber + 1}`
    : '';
  const key = `${functionName || '(anonymous)'} ${where}`.trim();
  selfMicros.set(key, (selfMicros.get(key) ?? 0) + delta);
  total += delta;
});
const ops = opsText ? Number(opsText) : undefined;
const idle = ['(idle)', '(program)', '(garbage collector)'];
const busy = total - idle.slice(0, 1).reduce((sum, key) => sum + (selfMicros.get(key) ?? 0), 0);
const rows = [...selfMicros.entries()].sort((a, b) => b[1] - a[1]).slice(0, Number(topText));
process.stdout.write(
  `total ${(total / 1000).toFixed(0)} ms, not idle ${(busy / 1000).toFixed(0)} ms\n`,
);
for (const [key, micros] of rows) {
  const share = ((micros / busy) * 100).toFixed(1).padStart(5);
  const perOp = ops ? `${(micros / ops).toFixed(1).padStart(7)} µs/op ` : '';
  process.stdout.write(`${share} % ${perOp}${key}\n`);
}
