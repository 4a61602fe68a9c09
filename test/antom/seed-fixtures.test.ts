import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import {
  SEED_AIRLINE_REQUEST,
  SEED_CAPTURE_CODES,
  SEED_CAPTURE_REQUEST,
  SEED_CAPTURE_RESPONSE,
  SEED_NOTIFY_CAPTURE,
} from './seed-fixtures.js';

// The seeds live next to the repository (../shared/seeds); a clean clone may not have them.
const seeds = fileURLToPath(new URL('../../../shared/seeds/', import.meta.url));
const present = existsSync(`${seeds}antom-v1-capture-api.md`);

/** Rows `| CODE | S/F/U | …` of a markdown table, with the AMS page's `\_` escapes undone. */
function codeTable(text: string): Record<string, string> {
  const rows: Record<string, string> = {};
  for (const match of text.matchAll(/^\| ([A-Z\\_]+) \| ([SFU]) \|/gm)) {
    rows[(match[1] ?? '').replaceAll('\\_', '_')] = match[2] ?? '';
  }
  return rows;
}

describe.runIf(present)('seed fixtures match ../shared/seeds', () => {
  const api = present ? readFileSync(`${seeds}antom-v1-capture-api.md`, 'utf8') : '';
  const ams = present ? readFileSync(`${seeds}alipay-ams-v1-capture-api.txt`, 'utf8') : '';
  const guide = present ? readFileSync(`${seeds}antom-capture-guide.md`, 'utf8') : '';

  it('the examples are copied verbatim', () => {
    for (const example of [SEED_CAPTURE_REQUEST, SEED_AIRLINE_REQUEST, SEED_CAPTURE_RESPONSE]) {
      expect(api).toContain(example);
    }
    expect(guide).toContain(SEED_NOTIFY_CAPTURE);
  });

  it('the code table is the seed table, and the Alipay AMS page lists the same codes', () => {
    expect(codeTable(api)).toEqual(SEED_CAPTURE_CODES);
    expect(codeTable(ams)).toEqual(SEED_CAPTURE_CODES);
  });
});
