import { CONNECTIVITY_ROLES, MESH_AXES, MESH_LOCATIONS } from '../model/mesh.js';
import type { CubeMesh, Mesh } from '../model/types.js';
import type { Change } from './change.js';
import { same } from './same.js';

/**
 * What changed in the publication's meshes: meshes added or removed; a mesh's names, units and topology dimension;
 * each location's dimension, element count and coordinates (names, units, points); its connectivities.
 */
export function diffMeshes(out: Change[], a: Readonly<Record<string, Mesh>> = {}, b: Readonly<Record<string, Mesh>> = {}): void {
  for (const key of new Set([...Object.keys(a), ...Object.keys(b)])) {
    const x = Object.hasOwn(a, key) ? a[key] : undefined;
    const y = Object.hasOwn(b, key) ? b[key] : undefined;
    const where = `mesh ${key}`;
    if (!x) {
      out.push({ where, what: `added (topology dimension ${y!.topology_dimension})` });
      continue;
    }
    if (!y) {
      out.push({ where, what: 'removed' });
      continue;
    }
    const field = (at: string, name: string, p: unknown, q: unknown) => {
      if (!same(p, q)) out.push({ where: at, what: `${name} ${text(p)} → ${text(q)}` });
    };
    for (const name of ['standard_name', 'long_name', 'var_name', 'units', 'topology_dimension'] as const) field(where, name, x[name], y[name]);
    if (!same(x.attributes, y.attributes)) out.push({ where, what: 'attributes changed' });
    for (const location of MESH_LOCATIONS) {
      const ex = x[location];
      const ey = y[location];
      const at = `${where} ${location}s`;
      if (!ex || !ey) {
        if (ex || ey) out.push({ where: at, what: ex ? 'removed' : 'added' });
        continue;
      }
      field(at, 'dimension', ex.dimension, ey.dimension);
      field(at, 'count', ex.count, ey.count);
      for (const axis of MESH_AXES) {
        const cx = ex.coords[axis];
        const cy = ey.coords[axis];
        const ca = `${at} coord ${axis}`;
        if (!cx || !cy) {
          if (cx || cy) out.push({ where: ca, what: cx ? 'removed' : 'added' });
          continue;
        }
        for (const name of ['standard_name', 'long_name', 'var_name', 'units'] as const) field(ca, name, cx[name], cy[name]);
        if (!same(cx.points, cy.points)) out.push({ where: ca, what: 'points changed' });
        if (!same(cx.attributes, cy.attributes)) out.push({ where: ca, what: 'attributes changed' });
      }
    }
    for (const role of CONNECTIVITY_ROLES) {
      const cx = x.connectivities[role];
      const cy = y.connectivities[role];
      const at = `${where} ${role}`;
      if (!cx || !cy) {
        if (cx || cy) out.push({ where: at, what: cx ? 'removed' : 'added' });
        continue;
      }
      field(at, 'start_index', cx.start_index, cy.start_index);
      field(at, 'location_axis', cx.location_axis, cy.location_axis);
      if (!same(cx.indices, cy.indices)) out.push({ where: at, what: 'indices changed' });
    }
  }
}

/** A cube's place on a mesh, as a diff line, when it changed. */
export function diffCubeMesh(out: Change[], where: string, a: CubeMesh | undefined, b: CubeMesh | undefined): void {
  if (same(a, b)) return;
  const describe = (m: CubeMesh | undefined) => (m ? `${m.location}s of ${m.name} along ${m.dim}` : '(none)');
  out.push({ where, what: `mesh ${describe(a)} → ${describe(b)}` });
}

function text(v: unknown): string {
  return v === undefined ? '(none)' : String(v);
}
