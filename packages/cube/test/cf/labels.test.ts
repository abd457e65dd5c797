import { cubeSummary } from '@cubemark/format';
import { describe, expect, test } from 'vitest';
import { loadPublication } from '../../src/cf/index.js';
import { makeCfFixture } from './cdl-fixture.js';

/** Label coordinates whose string length is stored first, as Iris reads them (the dimension the data lacks). */
describe('label variables with the string length first', () => {
  test('region_name(strlen, georegion) is a label along georegion; no garbage cube, no warning', async () => {
    for (const kind of ['classic', 'nc4'] as const) {
      const { publication, warnings } = await loadPublication([await makeCfFixture('labels_first', kind)]);
      expect(publication.cubes.map((c) => c.var_name), kind).toEqual(['tas']);
      expect(warnings, kind).toEqual([]);
      const [tas] = publication.cubes;
      expect(tas.aux_coords.region_name, kind).toMatchObject({
        long_name: 'region name',
        dims: ['georegion'],
        points: { kind: 'inline', dtype: 'string', shape: [3], values: ['Europe', 'Africa', 'Arctic'] },
      });
      expect(tas.aux_coords.model.points, kind).toMatchObject({ values: ['HadGEM3', 'UKESM1'] });
      expect(cubeSummary(tas), kind).toBe(
        [
          'air_temperature / (K)               (time: 2; -- : 2; -- : 3)',
          '    Dimension coordinates:',
          '        time                             x       -       -',
          '    Auxiliary coordinates:',
          '        model                            -       x       -',
          '        region name                      -       -       x',
        ].join('\n'),
      );
    }
  });
});
