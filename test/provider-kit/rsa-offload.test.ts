import { generateKeyPairSync } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import {
  type RsaOffload,
  signRsa256Async,
  verifyRsa256Async,
} from '../../src/provider-kit/rsa-offload.js';
import { signRsa256, verifyRsa256 } from '../../src/provider-kit/rsa-signature.js';

const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
const other = generateKeyPairSync('rsa', { modulusLength: 2048 });
const content = Buffer.from('POST /ams/api/v1/payments/capture\nclient.1767225600000.{"a":1}');
const modes: readonly RsaOffload[] = ['sync', 'pool', 'auto'];

describe('signRsa256Async / verifyRsa256Async', () => {
  it.each(modes)(
    '%s: signs exactly what signRsa256 signs (PKCS#1 v1.5 is deterministic)',
    async (mode) => {
      expect(await signRsa256Async(content, privateKey, mode)).toBe(
        signRsa256(content, privateKey),
      );
    },
  );

  it.each(modes)('%s: verifies a good signature and refuses a bad one', async (mode) => {
    const signature = signRsa256(content, privateKey);
    expect(await verifyRsa256Async(content, signature, publicKey, mode)).toBe(true);
    expect(await verifyRsa256Async(Buffer.from('other'), signature, publicKey, mode)).toBe(false);
    expect(await verifyRsa256Async(content, signature, other.publicKey, mode)).toBe(false);
  });

  it.each(modes)('%s: malformed signatures are false, never a rejection', async (mode) => {
    const signature = signRsa256(content, privateKey);
    for (const bad of ['', 'not base64!', `${signature} `, `${signature}AAAA`, 42 as never]) {
      expect(await verifyRsa256Async(content, bad, publicKey, mode)).toBe(false);
      expect(verifyRsa256(content, bad, publicKey)).toBe(false);
    }
  });

  it.each(modes)('%s: an unusable key rejects (as crypto.sign throws)', async (mode) => {
    await expect(signRsa256Async(content, publicKey, mode)).rejects.toThrow();
  });

  it('a burst in one turn gives the same signatures as one at a time, in order', async () => {
    const contents = Array.from({ length: 24 }, (_, i) => Buffer.from(`message ${i}`));
    const burst = await Promise.all(contents.map((c) => signRsa256Async(c, privateKey)));
    expect(burst).toEqual(contents.map((c) => signRsa256(c, privateKey)));
    const checks = await Promise.all(
      contents.map((c, i) => verifyRsa256Async(c, burst[i] as string, publicKey)),
    );
    expect(checks.every(Boolean)).toBe(true);
  });
});
