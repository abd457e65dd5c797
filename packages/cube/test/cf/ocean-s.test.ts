import { expect, test } from 'vitest';
import { loadPublication } from '../../src/cf/index.js';
import { makeCfFixture } from './cdl-fixture.js';

test('generic ocean s-coordinates take the stretching term as CF spells it (C) and as Iris writes it (c)', async () => {
  const { publication } = await loadPublication([await makeCfFixture('ocean_s_g')]);
  const byVar = (name: string) => publication.cubes.find((c) => c.var_name === name);
  const terms = { s: 'lev', c: 'Cs', eta: 'zeta', depth: 'h', depth_c: 'hc' };
  expect(byVar('temp')?.derived_coords.sea_surface_height_above_reference_ellipsoid).toMatchObject({ formula: 'ocean_s_g1', units: 'm', terms });
  expect(byVar('salt')?.derived_coords.sea_surface_height_above_reference_ellipsoid).toMatchObject({ formula: 'ocean_s_g2', units: 'm', terms: { ...terms, s: 'lev2' } });
});
