import pg from 'pg';

/**
 * The baseline of a scenario on PostgreSQL: the query goosed runs for a request, straight through
 * node-postgres (a pool of 10, as goosed's), from `concurrency` loops for `durationSeconds`.
 */
export async function driverQueriesPerSecond(url: string, text: string, values: unknown[], { concurrency, durationSeconds }: { concurrency: number; durationSeconds: number }): Promise<number> {
  const pool = new pg.Pool({ connectionString: url, max: 10 });
  try {
    // Warm: connections open, the statement prepared on each.
    await Promise.all(Array.from({ length: 10 }, () => pool.query({ name: 'bench', text, values })));
    let done = 0;
    const until = performance.now() + durationSeconds * 1000;
    const started = performance.now();
    await Promise.all(
      Array.from({ length: concurrency }, async () => {
        while (performance.now() < until) {
          await pool.query({ name: 'bench', text, values });
          done++;
        }
      }),
    );
    return done / ((performance.now() - started) / 1000);
  } finally {
    await pool.end();
  }
}
