import {
  FACTORY_TERMS,
  type Attributes,
  type CoordSystem,
  type DerivedCoord,
  type FactoryKind,
} from '@cubemark/format';
import { attributesEqual, copyAttributes } from './attributes.js';
import { AuxCoord, type Coord } from './coords.js';
import { DescribedArray } from './described-array.js';
import { deepEqual } from './equality.js';
import { CubeStructureError } from './errors.js';
import { FormulaLazyArray, type Formula, type FormulaTerm } from './formula-array.js';
import { nameOf, namesFromMeta, namesToMeta, pickNames, sameNames, type NamesInit } from './names.js';
import { definedFields } from './defined.js';

/** A coordinate a factory term refers to, as the cube holds it: its key, the coordinate, the dimensions it spans. */
export interface Dependency {
  readonly key: string;
  readonly coord: Coord;
  readonly dims: readonly string[];
}

export interface AuxFactoryInit extends NamesInit {
  /** UDUNITS string of the derived coordinate. */
  units: string;
  /** Term name → key of a coordinate in the cube (or the coordinate itself, when adding to a cube). */
  terms: Readonly<Record<string, string | Coord>>;
  attributes?: Attributes;
  coordSystem?: CoordSystem;
  coordSystemKey?: string;
}

/** Terms whose values vary by level; only their bounds make bounds of the derived coordinate (as in Iris). */
const LEVEL_TERMS = new Set(['delta', 'sigma', 's', 'c', 'zlev']);

/**
 * A derived coordinate (Iris's aux factory): a formula over other coordinates of the cube, evaluated lazily. The
 * factory names its terms by coordinate key; once bound to a cube's coordinates (`bind`, done by the cube),
 * `derive()` gives the coordinate, whose points (and bounds) are computed only when read.
 */
export abstract class AuxFactory {
  abstract readonly kind: FactoryKind;
  standardName?: string;
  longName?: string;
  varName?: string;
  units: string;
  attributes: Attributes;
  coordSystem?: CoordSystem;
  coordSystemKey?: string;
  /** Term name → coordinate key (or a coordinate not yet added under a key). */
  readonly terms: Readonly<Record<string, string | Coord>>;
  private bound?: { dependencies: Readonly<Record<string, Dependency | undefined>>; cubeDims: readonly string[] };

  constructor(init: AuxFactoryInit) {
    if (init.standardName !== undefined) this.standardName = init.standardName;
    if (init.longName !== undefined) this.longName = init.longName;
    if (init.varName !== undefined) this.varName = init.varName;
    this.units = init.units;
    this.attributes = copyAttributes(init.attributes ?? {});
    if (init.coordSystem !== undefined) this.coordSystem = init.coordSystem;
    if (init.coordSystemKey !== undefined) this.coordSystemKey = init.coordSystemKey;
    this.terms = { ...init.terms };
  }

  /** The formula over the terms, in `termNames()` order. */
  protected abstract readonly formula: Formula;

  /** The term whose dimension's index the formula needs (`k`), if any. */
  protected readonly indexTerm?: string;

  name(): string {
    return nameOf(this);
  }

  /** Iris's argument names, required ones first. */
  termNames(): readonly string[] {
    const spec = FACTORY_TERMS[this.kind];
    return [...spec.required, ...spec.optional];
  }

  toInit(): AuxFactoryInit {
    const coordSystem = definedFields({ coordSystem: this.coordSystem, coordSystemKey: this.coordSystemKey });
    return { units: this.units, terms: this.terms, attributes: this.attributes, ...pickNames(this), ...coordSystem };
  }

  copy(changes: Partial<AuxFactoryInit> = {}): this {
    const Ctor = this.constructor as new (init: AuxFactoryInit) => this;
    return new Ctor({ ...this.toInit(), ...changes });
  }

  /** A copy bound to coordinates: `resolve(key)` finds the cube's coordinate for a key; `cubeDims` orders dims. */
  bind(resolve: (key: string) => Dependency | undefined, cubeDims: readonly string[]): this {
    const copy = this.copy();
    const dependencies: Record<string, Dependency | undefined> = {};
    for (const [term, ref] of Object.entries(this.terms)) {
      if (typeof ref !== 'string') {
        throw new CubeStructureError(`term '${term}' of derived coordinate '${this.name()}' is a coordinate the cube does not hold under a key`);
      }
      dependencies[term] = resolve(ref);
    }
    copy.bound = { dependencies, cubeDims: [...cubeDims] };
    return copy;
  }

  /** The bound coordinates by term (`undefined` for a term whose coordinate the cube no longer has). */
  dependencies(): Readonly<Record<string, Dependency | undefined>> {
    return this.requireBound().dependencies;
  }

  /** Cube dimensions the derived coordinate spans: every dimension a dependency spans, in the cube's order. */
  get dims(): string[] {
    const { dependencies, cubeDims } = this.requireBound();
    const spanned = new Set(Object.values(dependencies).flatMap((d) => (d ? d.dims : [])));
    return cubeDims.filter((d) => spanned.has(d));
  }

  /** The derived coordinate, computed on read from the bound dependencies (broadcast over `dims`). */
  derive(): AuxCoord {
    const { dependencies } = this.requireBound();
    for (const term of FACTORY_TERMS[this.kind].required) {
      if (!dependencies[term]) {
        const ref = this.terms[term];
        throw new CubeStructureError(
          `derived coordinate '${this.name()}' (${this.kind}) needs term '${term}'${typeof ref === 'string' ? `, but the cube has no coordinate '${ref}'` : ''}`,
        );
      }
    }
    const dims = this.dims;
    const shape = dims.map((dim) => {
      for (const d of Object.values(dependencies)) {
        const at = d ? d.dims.indexOf(dim) : -1;
        if (d && at >= 0) return d.coord.shape[at];
      }
      return 1;
    });
    const names = this.termNames();
    const deps = names.map((t) => dependencies[t]);
    const axesOf = (d: Dependency): number[] => (d.dims.length === 0 ? d.coord.shape.map(() => -1) : d.dims.map((x) => dims.indexOf(x)));
    const dtype = deps.every((d) => !d || d.coord.dtype === 'float32') ? 'float32' : 'float64';
    const indexTerm = this.indexTerm ? dependencies[this.indexTerm] : undefined;
    const indexAxis = indexTerm && indexTerm.dims.length === 1 ? dims.indexOf(indexTerm.dims[0]) : undefined;
    const pointTerms: (FormulaTerm | undefined)[] = deps.map((d) => d && { array: d.coord.points.lazy, axes: axesOf(d) });
    const points = new FormulaLazyArray(shape, dtype, pointTerms, this.formula, { indexAxis });

    let bounds: FormulaLazyArray | undefined;
    const withBounds = names.filter((t, i) => LEVEL_TERMS.has(t) && deps[i]?.coord.bounds);
    const nbounds = new Set(withBounds.map((t) => dependencies[t]!.coord.nbounds));
    if (nbounds.size === 1) {
      const nb = [...nbounds][0];
      const boundsAxis = dims.length;
      const boundTerms = deps.map((d, i): FormulaTerm | undefined => {
        if (!d) return undefined;
        if (withBounds.includes(names[i])) return { array: d.coord.bounds!.lazy, axes: [...axesOf(d), boundsAxis] };
        return { array: d.coord.points.lazy, axes: axesOf(d) };
      });
      bounds = new FormulaLazyArray([...shape, nb], dtype, boundTerms, this.formula, { indexAxis });
    }
    const reason = `it is derived (${this.kind}); the publication records its formula terms instead`;
    return new AuxCoord({
      ...pickNames(this),
      units: this.units,
      attributes: this.attributes,
      ...(this.coordSystem !== undefined ? { coordSystem: this.coordSystem } : {}),
      ...(this.coordSystemKey !== undefined ? { coordSystemKey: this.coordSystemKey } : {}),
      points: DescribedArray.opaque(points, reason),
      ...(bounds ? { bounds: DescribedArray.opaque(bounds, reason) } : {}),
    });
  }

  /** Same formula, metadata and term keys. */
  metadataEquals(other: AuxFactory): boolean {
    const keys = (f: AuxFactory) => JSON.stringify(Object.entries(f.terms).map(([t, r]) => [t, typeof r === 'string' ? r : r.name()]).sort());
    return (
      this.kind === other.kind &&
      sameNames(this, other) &&
      this.units === other.units &&
      attributesEqual(this.attributes, other.attributes) &&
      deepEqual(this.coordSystem, other.coordSystem) &&
      keys(this) === keys(other)
    );
  }

  /** The format's record of it; `coordSystemKey` names its coordinate system in the publication. */
  toMeta(coordSystemKey: string | undefined = this.coordSystemKey ?? this.coordSystem?.kind): DerivedCoord {
    const terms: Record<string, string> = {};
    for (const [t, ref] of Object.entries(this.terms)) {
      if (typeof ref !== 'string') throw new CubeStructureError(`term '${t}' of '${this.name()}' refers to a coordinate not in the cube`);
      terms[t] = ref;
    }
    const meta: DerivedCoord = { ...namesToMeta(this), formula: this.kind, units: this.units, terms, attributes: copyAttributes(this.attributes) };
    if (this.coordSystem !== undefined && coordSystemKey !== undefined) meta.coord_system = coordSystemKey;
    return meta;
  }

  private requireBound(): NonNullable<AuxFactory['bound']> {
    if (!this.bound) throw new CubeStructureError(`derived coordinate '${this.name()}' is not attached to a cube; add it with cube.addAuxFactory`);
    return this.bound;
  }
}


/** CF atmosphere_hybrid_height_coordinate: z = delta + sigma * orography. */
export class HybridHeightFactory extends AuxFactory {
  readonly kind = 'hybrid_height' as const;
  protected readonly formula: Formula = (v) => v[0] + v[1] * v[2];
}

/** CF atmosphere_hybrid_sigma_pressure_coordinate: p = delta + sigma * surface_air_pressure. */
export class HybridPressureFactory extends AuxFactory {
  readonly kind = 'hybrid_pressure' as const;
  protected readonly formula: Formula = (v) => v[0] + v[1] * v[2];
}

/** CF atmosphere_sigma_coordinate: p = pressure_at_top + sigma * (surface_air_pressure - pressure_at_top). */
export class AtmosphereSigmaFactory extends AuxFactory {
  readonly kind = 'atmosphere_sigma' as const;
  protected readonly formula: Formula = (v) => v[0] + v[1] * (v[2] - v[0]);
}

/**
 * CF ocean_sigma_z_coordinate: for level k < nsigma, z = eta + sigma * (min(depth_c, depth) + eta); deeper, z =
 * zlev. As in Iris, k counts levels of the cube as it is (a sliced cube keeps its nsigma).
 */
export class OceanSigmaZFactory extends AuxFactory {
  readonly kind = 'ocean_sigma_z' as const;
  protected override readonly indexTerm = 'zlev';
  // Terms: sigma, eta, depth, depth_c, nsigma, zlev.
  protected readonly formula: Formula = (v, k) => (k < v[4] ? v[1] + v[0] * (Math.min(v[3], v[2]) + v[1]) : v[5]);
}

/** CF ocean_sigma_coordinate: z = eta + sigma * (depth + eta). */
export class OceanSigmaFactory extends AuxFactory {
  readonly kind = 'ocean_sigma' as const;
  protected readonly formula: Formula = (v) => v[1] + v[0] * (v[2] + v[1]);
}

/**
 * CF ocean_s_coordinate: z = eta * (1 + s) + depth_c * s + (depth - depth_c) * C, with
 * C = (1 - b) * sinh(a * s) / sinh(a) + b * (tanh(a * (s + 1/2)) / (2 * tanh(a / 2)) - 1/2).
 */
export class OceanSFactory extends AuxFactory {
  readonly kind = 'ocean_s' as const;
  // Terms: s, eta, depth, a, b, depth_c.
  protected readonly formula: Formula = (v) => {
    const [s, eta, depth, a, b, depthC] = v;
    const c = ((1 - b) * Math.sinh(a * s)) / Math.sinh(a) + b * (Math.tanh(a * (s + 0.5)) / (2 * Math.tanh(0.5 * a)) - 0.5);
    return eta * (1 + s) + depthC * s + (depth - depthC) * c;
  };
}

/** CF ocean_s_coordinate_g1: S = depth_c * s + (depth - depth_c) * C; z = S + eta * (1 + S / depth). */
export class OceanSg1Factory extends AuxFactory {
  readonly kind = 'ocean_s_g1' as const;
  // Terms: s, c, eta, depth, depth_c.
  protected readonly formula: Formula = (v) => {
    const [s, c, eta, depth, depthC] = v;
    const S = depthC * s + (depth - depthC) * c;
    return S + eta * (1 + S / depth);
  };
}

/** CF ocean_s_coordinate_g2: S = (depth_c * s + depth * C) / (depth_c + depth); z = eta + (eta + depth) * S. */
export class OceanSg2Factory extends AuxFactory {
  readonly kind = 'ocean_s_g2' as const;
  // Terms: s, c, eta, depth, depth_c.
  protected readonly formula: Formula = (v) => {
    const [s, c, eta, depth, depthC] = v;
    const S = (depthC * s + depth * c) / (depthC + depth);
    return eta + (eta + depth) * S;
  };
}

/** The factory class for each format `FactoryKind`. */
export const AUX_FACTORIES: Readonly<Record<FactoryKind, new (init: AuxFactoryInit) => AuxFactory>> = {
  hybrid_height: HybridHeightFactory,
  hybrid_pressure: HybridPressureFactory,
  atmosphere_sigma: AtmosphereSigmaFactory,
  ocean_sigma_z: OceanSigmaZFactory,
  ocean_sigma: OceanSigmaFactory,
  ocean_s: OceanSFactory,
  ocean_s_g1: OceanSg1Factory,
  ocean_s_g2: OceanSg2Factory,
};

/** The (unbound) factory a format `DerivedCoord` describes; `coordSystem` is the object its key names. */
export function auxFactoryFromMeta(meta: DerivedCoord, coordSystem?: CoordSystem): AuxFactory {
  const Factory = AUX_FACTORIES[meta.formula];
  if (!Factory) throw new CubeStructureError(`unknown derived-coordinate formula '${meta.formula}'`);
  const init: AuxFactoryInit = { ...namesFromMeta(meta), units: meta.units, terms: { ...meta.terms }, attributes: meta.attributes };
  if (meta.coord_system !== undefined) {
    init.coordSystemKey = meta.coord_system;
    if (coordSystem) init.coordSystem = coordSystem;
  }
  return new Factory(init);
}
