import { randomUUID } from 'node:crypto';
import pg from 'pg';
import { it } from 'vitest';

/**
 * The PostgreSQL server the journal tests use: `CAPTURE_KIT_TEST_PG_URL` (.ci/run starts
 * the machine's PostgreSQL and sets it), else this machine's default socket. In CI
 * (`CI=true`) a server that cannot be reached FAILS the run; on a developer machine the
 * Postgres tests are skipped with the reason printed.
 */
export const TEST_PG_URL =
  process.env.CAPTURE_KIT_TEST_PG_URL ??
  'postgresql://root@localhost/capture_kit_test?host=/var/run/postgresql';

export interface TestServer {
  readonly url: string;
  /** A new schema name nobody else uses; dropped by {@link dropSchemas}. */
  schema(): string;
  /** Runs SQL as the test's admin connection. */
  query(text: string): Promise<pg.QueryResult>;
  dropSchemas(): Promise<void>;
  end(): Promise<void>;
}

/** Connects, or explains why not. Never prints the URL (it may hold a password). */
export async function testServer(): Promise<TestServer | { readonly problem: string }> {
  const pool = new pg.Pool({
    connectionString: TEST_PG_URL,
    max: 2,
    connectionTimeoutMillis: 5_000,
  });
  pool.on('error', () => {});
  try {
    await pool.query('SELECT 1');
  } catch (error) {
    await pool.end().catch(() => {});
    const source = process.env.CAPTURE_KIT_TEST_PG_URL
      ? 'CAPTURE_KIT_TEST_PG_URL'
      : 'the default socket /var/run/postgresql (set CAPTURE_KIT_TEST_PG_URL)';
    return {
      problem: `no PostgreSQL server reachable at ${source}: ${error instanceof Error ? error.message : String(error)}`,
    };
  }
  const schemas: string[] = [];
  return {
    url: TEST_PG_URL,
    schema() {
      const name = `ck_test_${randomUUID().replaceAll('-', '').slice(0, 16)}`;
      schemas.push(name);
      return name;
    },
    query: (text) => pool.query(text),
    async dropSchemas() {
      for (const name of schemas.splice(0)) {
        await pool.query(`DROP SCHEMA IF EXISTS "${name}" CASCADE`);
      }
    },
    end: () => pool.end(),
  };
}

/**
 * Resolves the server for a test file: the server, or `undefined` after registering what
 * CI must see (a failing test) or a developer sees (a printed skip reason).
 */
export async function requireTestServer(): Promise<TestServer | undefined> {
  const server = await testServer();
  if ('url' in server) return server;
  if (process.env.CI === 'true') {
    it('PostgreSQL is reachable (required in CI)', () => {
      throw new Error(
        `${server.problem}. .ci/run starts PostgreSQL and exports CAPTURE_KIT_TEST_PG_URL.`,
      );
    });
  } else {
    console.warn(`Skipping the PostgreSQL journal tests: ${server.problem}`);
    it.skip(`PostgreSQL journal tests (skipped: ${server.problem})`, () => {});
  }
  return undefined;
}
