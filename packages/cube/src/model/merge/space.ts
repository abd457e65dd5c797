import type { Cell } from '../coords.js';
import type { Cube } from '../cube.js';
import { axisRank, compareValues } from './order.js';

/** Iris's space derivation (`build_indexes`, `derive_relation_matrix`, `derive_groups`, `derive_space`). */

/** One independent dimension of the merged space: a coordinate, or a combination of several (anonymous). */
export interface Independent {
  id: string;
  members: string[];
  /** Value keys in dimension order. */
  order: string[];
}

/** The value of an independent dimension for one cube: its coordinate's value, or the tuple of a combination's. */
export function combinationValue(ind: Independent, values: Map<string, string>): string {
  return ind.members.length === 1 ? values.get(ind.members[0])! : JSON.stringify(ind.members.map((m) => values.get(m)));
}

type Positions = readonly Map<string, string>[];

function sameSet(a: Set<string>, b: Set<string>): boolean {
  return a.size === b.size && [...a].every((x) => b.has(x));
}

/** Whether `dependent` is a function of the `independent` coordinates over all cubes. */
function isDependent(dependent: string, independent: readonly string[], positions: Positions): boolean {
  const relation = new Map<string, string>();
  for (const p of positions) {
    const item = JSON.stringify(independent.map((n) => p.get(n)));
    const value = p.get(dependent)!;
    const seen = relation.get(item);
    if (seen === undefined) relation.set(item, value);
    else if (seen !== value) return false;
  }
  return true;
}

/** The independent dimensions of the merged space, and for each dependent coordinate the ones it varies with. */
export function defineSpace(
  names: readonly string[],
  positions: Positions,
  cells: Map<string, Map<string, Cell>>,
  source: Cube,
): { independents: Independent[]; dependents: Map<string, string[]> } {
  // `names` come in Iris's preference order; Iris's `sorted(...)` of coordinate indices is this order.
  const order = (n: string): number => names.indexOf(n);
  const byOrder = (a: string, b: string) => order(a) - order(b);
  // index[name][value][other] = the values `other` takes where `name` takes `value`.
  const index = new Map<string, Map<string, Map<string, Set<string>>>>();
  for (const n of names) index.set(n, new Map());
  for (const p of positions) {
    for (const n of names) {
      const byValue = index.get(n)!;
      let others = byValue.get(p.get(n)!);
      if (!others) byValue.set(p.get(n)!, (others = new Map(names.filter((o) => o !== n).map((o) => [o, new Set<string>()]))));
      for (const o of names) if (o !== n) others.get(o)!.add(p.get(o)!);
    }
  }
  // `target` is separable from `name` when every value of `name` sees the same set of `target` values.
  const separable = new Map<string, Set<string>>();
  const inseparable = new Map<string, Set<string>>();
  for (const n of names) {
    separable.set(n, new Set());
    inseparable.set(n, new Set());
    const sets = [...index.get(n)!.values()];
    for (const t of names) {
      if (t === n) continue;
      const reference = sets[0].get(t)!;
      (sets.every((s) => sameSet(s.get(t)!, reference)) ? separable : inseparable).get(n)!.add(t);
    }
  }
  const groups: string[][] = [];
  const left = new Set(names);
  for (const start of names) {
    if (!left.has(start)) continue;
    const group = new Set([start]);
    const follow = [start];
    left.delete(start);
    while (follow.length > 0) {
      for (const m of inseparable.get(follow.pop()!)!) {
        if (group.has(m)) continue;
        group.add(m);
        follow.push(m);
        left.delete(m);
      }
    }
    groups.push([...group].sort(byOrder));
  }

  const independents: Independent[] = [];
  const dependents = new Map<string, string[]>();
  const independent = (n: string) => independents.push({ id: n, members: [n], order: [] });
  for (const group of groups) {
    const inGroup = new Set(group);
    const separableGroup = group.filter((n) => [...separable.get(n)!].some((t) => inGroup.has(t)));
    if (group.length === 1 && separableGroup.length === 0) {
      independent(group[0]);
      continue;
    }
    let done = false;
    if (separableGroup.length > 0) {
      // The largest sets of mutually separable coordinates, tried in Iris's (sorted) order.
      const consistent: string[][] = [];
      for (const n of separableGroup) {
        const candidate = [...[...separable.get(n)!].filter((t) => separableGroup.includes(t)), n].sort(byOrder);
        if (candidate.every((a) => candidate.every((b) => a === b || separable.get(a)!.has(b)))) consistent.push(candidate);
      }
      consistent.sort((a, b) => {
        for (let i = 0; i < Math.min(a.length, b.length); i++) if (a[i] !== b[i]) return order(a[i]) - order(b[i]);
        return a.length - b.length;
      });
      for (const ind of consistent) {
        const dep = group.filter((n) => !ind.includes(n));
        if (dep.every((d) => isDependent(d, ind, positions))) {
          ind.forEach(independent);
          for (const d of dep) dependents.set(d, [...ind]);
          done = true;
          break;
        }
      }
    } else {
      for (const n of group) {
        const dep = group.filter((m) => m !== n);
        if (dep.every((d) => isDependent(d, [n], positions))) {
          independent(n);
          for (const d of dep) dependents.set(d, [n]);
          done = true;
          break;
        }
      }
    }
    if (!done) {
      // No functional relation: an anonymous dimension enumerating the combinations that occur.
      const id = `\0${group.join('\0')}`;
      independents.push({ id, members: group, order: [] });
      for (const m of group) dependents.set(m, [id]);
    }
  }

  for (const ind of independents) {
    if (ind.members.length === 1) {
      const byValue = cells.get(ind.id)!;
      ind.order = [...byValue.keys()].sort((a, b) => compareValues(byValue.get(a)!.point, byValue.get(b)!.point));
    } else {
      ind.order = [...new Set(positions.map((p) => combinationValue(ind, p)))];
    }
  }
  // Iris's `_define_space` order: unknown axis, then T, Z, Y, X; combinations after coordinates; then preference.
  const rank = (ind: Independent): number =>
    ind.members.length === 1 ? axisRank(source.parts().auxCoords.get(ind.id)!.item) : 0;
  independents.sort((a, b) => {
    const r = rank(a) - rank(b);
    if (r !== 0) return r;
    const ca = a.members.length > 1 ? 1 : 0;
    const cb = b.members.length > 1 ? 1 : 0;
    if (ca !== cb) return ca - cb;
    return order(a.members[0]) - order(b.members[0]);
  });
  return { independents, dependents };
}
