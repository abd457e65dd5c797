import { afterAll, beforeAll } from 'vitest';
import { createSourcePool, type SourcePool } from '../../src/bytes/pool.js';

/** A source pool for the tests of one file (or `describe`): made before them and given to `use`, closed after. */
export function sourcePoolForTests(use: (pool: SourcePool) => void): void {
  let pool: SourcePool | undefined;
  beforeAll(() => {
    pool = createSourcePool();
    use(pool);
  });
  afterAll(() => pool?.close());
}
