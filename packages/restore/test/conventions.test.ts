import { describe, expect, test } from 'vitest';
import { conventionTests } from '../../format/test/helpers/conventions.js';
import * as restore from '@cubemark/restore';
import { RESTORE_ERROR_CODES, restoreReportLines, type RestoreReport } from '@cubemark/restore';

describe('conventions', () => {
  conventionTests({ readme: new URL('../README.md', import.meta.url), errorCodes: Object.keys(RESTORE_ERROR_CODES), exports: restore }, (names) => {
    expect(names).toMatchInlineSnapshot(`
      [
        "DEFAULT_STORE_RETRY",
        "INDEX_FILE",
        "LocalStore",
        "PUBLICATION_SUFFIX",
        "QUARANTINE_DIR",
        "RESTORE_ERROR_CODES",
        "RestoreError",
        "S3Store",
        "STATE_DIR",
        "STATE_FILE",
        "SourceChecker",
        "TRASH_DIR",
        "createFileParser",
        "createRestorePlugin",
        "formatProblem",
        "openStore",
        "packHeldFile",
        "reloadReportLines",
        "restoreReportLines",
        "sha256",
        "writeFileDurably",
      ]
    `);
  });

  test('the boot report reads as the design sketch shows it, and stays short for large stores', () => {
    const report: RestoreReport = {
      restored: 998,
      cubes: 59_880,
      unchanged: 990,
      ms: 2_400,
      threads: 0,
      quarantined: [
        {
          name: 'old-run',
          file: 'publications/old-run.cube.md',
          problems: [{ code: 'DUPLICATE_KEY', message: "key 'name' appears twice", file: 'publications/old-run.cube.md', line: 3, column: 1, pointer: '/name' }],
        },
      ],
      stale: [{ name: 'ukv-20170514T21Z', reasons: ['source prods_op_ukv_20170514_21_000.nc changed size since it was published'] }],
      warnings: [],
    };
    expect(restoreReportLines(report)).toEqual({
      summary: 'restored 998 publications (59,880 cubes) in 2.4 s · 990 unchanged since indexed (not parsed) · 1 quarantined · 1 stale',
      details: [
        "  quarantined publications/old-run.cube.md:3:1 DUPLICATE_KEY key 'name' appears twice",
        '  stale ukv-20170514T21Z: source prods_op_ukv_20170514_21_000.nc changed size since it was published',
      ],
    });
    const many = { ...report, stale: Array.from({ length: 500 }, (_, i) => ({ name: `p${i}`, reasons: ['source x is missing'] })) };
    const { details } = restoreReportLines(many);
    expect(details).toHaveLength(1 + 20 + 1);
    expect(details.at(-1)).toBe('  … and 480 more stale');
  });
});
