/**
 * The runtime exports of @cubemark/format, which packages/format/README.md documents one by one. When this snapshot
 * changes, update the README's API section (and `pnpm exec vitest run packages/format/test/docs -u`).
 */
import { readFileSync } from 'node:fs';
import { expect, test } from 'vitest';

test('exported names of src/index.ts', async () => {
  expect(Object.keys(await import('../../src/index.js')).sort()).toMatchInlineSnapshot(`
    [
      "BINARY_HEADERS",
      "CALENDARS",
      "CF_FORMULAS",
      "CONNECTIVITY_ROLES",
      "CubemarkError",
      "DEFAULT_LIMITS",
      "ERROR_CODES",
      "FACTORY_TERMS",
      "FORMAT_VERSION",
      "FORMAT_VERSIONS",
      "FormatError",
      "HELD_STATES",
      "InvalidCalendarError",
      "InvalidDateError",
      "InvalidDocumentError",
      "InvalidTimeUnitsError",
      "InvalidTimeValueError",
      "MAX_LISTED_VALUES",
      "MESH_AXES",
      "MESH_CONNECTIVITIES",
      "MESH_LOCATIONS",
      "NUMERIC_DTYPES",
      "PUBLICATION_NAME_MAX_LENGTH",
      "PUBLICATION_NAME_PATTERN",
      "PUBLICATION_STATES",
      "SUMMARY_BEGIN",
      "SUMMARY_END",
      "TYPED_ARRAYS",
      "TimeError",
      "allocate",
      "binaryHeaders",
      "bytesPerElement",
      "canonicalCalendar",
      "checkPublicationName",
      "connectivityElements",
      "cubeListSummary",
      "cubeShortSummary",
      "cubeSummary",
      "decodeTime",
      "detectRegular",
      "diffPublications",
      "dtypeOfValues",
      "encodeTime",
      "findSummarySection",
      "formatCfDate",
      "formatChanges",
      "isFloatDtype",
      "isNumericDtype",
      "isPublicationName",
      "isTimeReference",
      "isValidCalendar",
      "jsonNumber",
      "lazyBytesOf",
      "meshCoordsOf",
      "nameOf",
      "parse",
      "parseOrThrow",
      "parseTimeUnits",
      "pathOf",
      "pointerOf",
      "product",
      "publicationIndex",
      "publicationSummary",
      "regularValues",
      "same",
      "sameValues",
      "serialize",
      "serializeFrontmatter",
      "spliceSummary",
      "timeCoder",
    ]
  `);
});

test('the README documents every runtime export', async () => {
  const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');
  const missing = Object.keys(await import('../../src/index.js')).filter((name) => !readme.includes(`\`${name}`));
  expect(missing).toEqual([]);
});
