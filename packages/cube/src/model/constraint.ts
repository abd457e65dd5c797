import type { AttributeValue } from '@cubemark/format';
import { attributeValuesEqual } from './attributes.js';
import { selectByCoordValues, type CoordValueConstraint } from './coord-constraint.js';
import type { Cube } from './cube.js';

/**
 * Iris's constraints: which cubes, and which parts of them, `extract` keeps. A constraint tests the cube's name,
 * attributes, a function of the cube, and the cells of coordinates (`coord-constraint.ts`).
 */

export type AttributeConstraint = AttributeValue | number | readonly number[] | ((value: AttributeValue) => boolean);

export interface ConstraintSpec {
  /** The cube's `name()`. */
  name?: string;
  /** Attribute values (locals or globals), or tests of them; a missing attribute never matches. */
  attributes?: Readonly<Record<string, AttributeConstraint>>;
  /** Per coordinate name: a value, any of several values, or a test of each cell. */
  coordValues?: Readonly<Record<string, CoordValueConstraint>>;
  /** Any test of the whole cube. */
  cubeFunc?: (cube: Cube) => boolean;
}

function attributeMatches(have: AttributeValue | undefined, want: AttributeConstraint): boolean {
  if (typeof want === 'function') return have !== undefined && want(have);
  if (have === undefined) return false;
  if (typeof want === 'number' || (Array.isArray(want) && want.every((x) => typeof x === 'number'))) {
    const values = typeof want === 'number' ? [want] : (want as readonly number[]);
    if (typeof have === 'string' || Array.isArray(have)) return false;
    return attributeValuesEqual(have, { dtype: 'float64', values: Float64Array.from(values) });
  }
  return attributeValuesEqual(have, want as AttributeValue);
}

/** A constraint; `and` combines two (both must hold). */
export class Constraint {
  private readonly specs: readonly ConstraintSpec[];

  constructor(spec: ConstraintSpec | readonly ConstraintSpec[] = {}) {
    this.specs = Array.isArray(spec) ? [...spec] : [spec as ConstraintSpec];
  }

  and(other: Constraint): Constraint {
    return new Constraint([...this.specs, ...other.specs]);
  }

  /** The part of `cube` this constraint keeps, or `undefined`. Reads coordinates, never data. */
  async extract(cube: Cube): Promise<Cube | undefined> {
    let current: Cube | undefined = cube;
    for (const spec of this.specs) {
      if (!current) return undefined;
      current = await applySpec(current, spec);
    }
    return current;
  }
}

async function applySpec(cube: Cube, spec: ConstraintSpec): Promise<Cube | undefined> {
  if (spec.name !== undefined && cube.name() !== spec.name) return undefined;
  for (const [key, want] of Object.entries(spec.attributes ?? {})) {
    if (!attributeMatches(cube.attributes.get(key), want)) return undefined;
  }
  if (spec.cubeFunc && !spec.cubeFunc(cube)) return undefined;
  return selectByCoordValues(cube, spec.coordValues ?? {});
}
