import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { journalSchemaSql } from '../../src/journals/postgres/index.js';

describe('docs/durability.md', () => {
  it('shows the schema the migrations create (regenerate the block from journalSchemaSql())', async () => {
    const doc = await readFile(new URL('../../docs/durability.md', import.meta.url), 'utf8');
    const block = /<!-- schema:start -->\n```sql\n([\s\S]*?)\n```\n<!-- schema:end -->/.exec(doc);
    expect(block?.[1]).toBe(journalSchemaSql());
  });
});
