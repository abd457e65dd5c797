import type { ArrayData, ArrayValues, Attributes, Coord, CoordSystem, Names } from '@cubemark/format';
import { nameOf } from '@cubemark/format';
import type { RangeOptions } from '../bytes/types.js';
import type { Dataset, DatasetVariable } from '../readers/dataset.js';
import { unusedAttributes } from './attributes.js';
import { classify, type CfClassification } from './classify.js';
import { coordSystemOf, gridClassOf } from './coord-systems.js';
import type { CoordType } from './coord-types.js';
import { stringAxis, transposedLabels } from './labels.js';
import { isCircular, strictlyMonotonic } from './monotonic.js';
import { coordNames } from './names.js';
import { attrUnits, textAttribute } from './units.js';
import { decodedArray, filled, moveAxisLast, plainArray, readDecoded, sourceReference, type ArrayOrigin, type Decoded } from './values.js';
import { WarningLog } from './warnings.js';

/**
 * A dataset's variables read as Iris reads coordinates: values (decoded once, inline when small), bounds,
 * dimension, auxiliary and label coordinates, and the coordinate systems of grid mappings. `CubeBuilder` puts
 * them together into cubes.
 */
export class CoordBuilder {
  protected readonly log: WarningLog;
  protected readonly cf: CfClassification;
  private readonly decoded = new Map<string, Promise<Decoded>>();
  private readonly systems = new Map<string, CoordSystem | undefined>();
  protected readonly origin: ArrayOrigin;

  /** `maxInline`: coordinates, bounds and other items with more values than this stay references into the file. */
  constructor(
    protected readonly dataset: Dataset,
    source: number,
    private readonly options: RangeOptions,
    private readonly maxInline: number,
  ) {
    this.log = new WarningLog(source);
    this.cf = classify(dataset, this.log);
    this.origin = { source, format: dataset.format };
  }

  usedCoordSystems(): Record<string, CoordSystem> {
    const out: Record<string, CoordSystem> = {};
    for (const [name, cs] of this.systems) if (cs) out[name] = cs;
    return out;
  }

  protected variable(name: string): DatasetVariable {
    return this.dataset.variables.get(name) as DatasetVariable;
  }

  protected read(v: DatasetVariable): Promise<Decoded> {
    let p = this.decoded.get(v.name);
    if (!p) this.decoded.set(v.name, (p = readDecoded(v, { signal: this.options.signal })));
    return p;
  }

  protected small(v: DatasetVariable): boolean {
    return v.shape.reduce((a, b) => a * b, 1) <= this.maxInline;
  }

  /** The coordinate system of a grid mapping variable, built once (its warnings once). */
  coordSystem(name: string): CoordSystem | undefined {
    if (!this.systems.has(name)) this.systems.set(name, coordSystemOf(name, this.variable(name).attributes, this.log));
    return this.systems.get(name);
  }


  /** Bounds of a coordinate variable (or its climatology), as Iris's `get_cf_bounds_var`, read and decoded. */
  private async bounds(coordVar: DatasetVariable, inlinePoints: boolean): Promise<{ data?: ArrayData; decoded?: Decoded; climatological: boolean }> {
    const group = this.cf.groups.get(coordVar.name)?.members ?? [];
    const boundsName = textAttribute(coordVar.attributes, 'bounds')?.trim();
    const climatologyName = textAttribute(coordVar.attributes, 'climatology')?.trim();
    if (boundsName !== undefined && climatologyName !== undefined) {
      this.log.add('CF_BOUNDS_IGNORED', `Ignoring climatology in favour of bounds attribute on NetCDF variable '${coordVar.name}'.`, coordVar.name);
    }
    let name: string | undefined;
    let climatological = false;
    if (boundsName !== undefined) {
      if (group.includes(boundsName) && this.cf.roles.get(boundsName) === 'bounds') name = boundsName;
    } else if (climatologyName !== undefined) {
      if (group.includes(climatologyName) && this.cf.roles.get(climatologyName) === 'climatology') {
        name = climatologyName;
        climatological = true;
      }
    }
    if (name === undefined) return { climatological: false };
    const b = this.variable(name);
    const vertexDims = b.dims.filter((d) => !coordVar.dims.includes(d));
    const transposed = b.shape.slice(0, -1).join() !== coordVar.shape.join();
    if (transposed && vertexDims.length !== 1) {
      this.log.add(
        'CF_BOUNDS_IGNORED',
        `Ignoring bounds '${name}' of '${coordVar.name}': too many dimension names differ between the coordinate and its bounds variable (expected 1, got ${vertexDims.length}).`,
        coordVar.name,
      );
      return { climatological: false };
    }
    const pointsUnits = attrUnits(coordVar, {}, new WarningLog()).units;
    const boundsUnitsText = textAttribute(b.attributes, 'units');
    if (boundsUnitsText !== undefined) {
      const boundsUnits = attrUnits(b, {}, this.log).units;
      if (boundsUnits !== 'unknown' && boundsUnits !== pointsUnits) {
        this.log.add('CF_BOUNDS_IGNORED', `Bounds '${name}' of '${coordVar.name}' are in '${boundsUnits}', not '${pointsUnits}': kept unconverted.`, coordVar.name);
      }
    }
    if (!inlinePoints && !transposed && !this.small(b)) return { data: sourceReference(b, this.origin), climatological };
    let decoded = await this.read(b);
    if (transposed) {
      const from = b.dims.indexOf(vertexDims[0]);
      const moved = (x: ArrayValues) => moveAxisLast(x, b.shape, from).values;
      decoded = {
        ...decoded,
        shape: moveAxisLast(decoded.values, b.shape, from).shape,
        stored: moved(decoded.stored),
        values: moved(decoded.values),
        ...(decoded.mask && { mask: moveAxisLast(decoded.mask as unknown as Float64Array, b.shape, from).values as unknown as Uint8Array }),
      };
    }
    return { data: decodedArray(decoded, b, this.origin), decoded, climatological };
  }

  protected coordAttributes(v: DatasetVariable): { attributes: Attributes; units: string; calendar?: string } {
    const attributes: Attributes = {};
    const { units, calendar } = attrUnits(v, attributes, this.log);
    return { attributes, units, ...(calendar && { calendar }) };
  }

  private coord(names: Names, meta: { attributes: Attributes; units: string; calendar?: string }, dims: string[], points: ArrayData, more: Partial<Coord>, v: DatasetVariable): Coord {
    const coord: Coord = { ...names, units: meta.units, dims, points, attributes: { ...meta.attributes, ...unusedAttributes(v.attributes) } };
    if (meta.calendar) coord.calendar = meta.calendar;
    return Object.assign(coord, more);
  }

  /** Iris's `_build_dimension_coordinate`, or why it fails (then Iris builds an auxiliary coordinate). */
  protected async dimCoord(v: DatasetVariable, type: CoordType, coordSystem: string | undefined): Promise<Coord | string> {
    const meta = this.coordAttributes(v);
    const decoded = await this.read(v);
    if (decoded.mask) {
      this.log.add('CF_FILLED_MASKED_POINTS', `Gracefully filling '${v.name}' dimension coordinate masked points`, v.name);
    }
    const points = filled(decoded);
    const bounds = await this.bounds(v, true);
    let boundsValues: ArrayValues | undefined;
    if (bounds.decoded) {
      if (bounds.decoded.mask) {
        this.log.add('CF_FILLED_MASKED_POINTS', `Gracefully filling '${v.name}' dimension coordinate masked bounds`, v.name);
      }
      boundsValues = filled(bounds.decoded);
    }
    const names = coordNames(v, type.coordName, meta.attributes, this.log);
    const label = nameOf(names);
    if (!strictlyMonotonic(points as ArrayLike<number>)) return `The '${label}' DimCoord points array must be strictly monotonic.`;
    const more: Partial<Coord> = {};
    if (boundsValues && bounds.decoded) {
      const nb = bounds.decoded.shape[bounds.decoded.shape.length - 1];
      const n = v.shape[0];
      const directions = new Set<number>();
      for (let j = 0; j < nb && n > 1; j++) {
        const column = Array.from({ length: n }, (_, i) => Number(boundsValues?.[i * nb + j]));
        if (!strictlyMonotonic(column)) return `The '${label}' DimCoord bounds array must be strictly monotonic.`;
        directions.add(Math.sign(column[1] - column[0]));
      }
      if (directions.size > 1) return `The direction of monotonicity for '${label}' must be consistent across all bounds.`;
      more.bounds = plainArray(bounds.decoded.dtype, bounds.decoded.shape, boundsValues);
      if (bounds.climatological) more.climatological = true;
    }
    if (
      (type.coordName === 'longitude' || type.coordName === 'grid_longitude') &&
      (meta.units === 'degrees' || meta.units === 'radians') &&
      isCircular(Array.from(points as ArrayLike<number>, Number), meta.units === 'degrees' ? 360 : 2 * Math.PI, boundsValues && Array.from(boundsValues as ArrayLike<number>, Number), v.dtype === 'float32')
    ) {
      more.circular = true;
    }
    if (coordSystem) more.coord_system = coordSystem;
    return this.coord(names, meta, [v.name], plainArray(decoded.dtype, decoded.shape, points), more, v);
  }

  /** Iris's `_build_auxiliary_coordinate` (labels included). */
  protected async auxCoord(v: DatasetVariable, cube: DatasetVariable, coordName: string | undefined, coordSystem: string | undefined): Promise<Coord> {
    const meta = this.coordAttributes(v);
    const dims = v.dims.filter((d) => cube.dims.includes(d));
    let points: ArrayData;
    let inline = true;
    if (v.dtype === 'string' || this.small(v)) {
      points = decodedArray(await this.read(v), v, this.origin, v.shape.length === 0 ? [1] : v.shape);
    } else {
      points = sourceReference(v, this.origin);
      inline = false;
    }
    const more: Partial<Coord> = {};
    const bounds = await this.bounds(v, inline);
    if (bounds.data) {
      more.bounds = v.shape.length === 0 && bounds.data.kind !== 'source' ? { ...bounds.data, shape: [1, ...bounds.data.shape] } as ArrayData : bounds.data;
      if (bounds.climatological) more.climatological = true;
    }
    if (coordSystem) more.coord_system = coordSystem;
    const names = coordNames(v, coordName, meta.attributes, this.log);
    return this.coord(names, meta, dims, points, more, v);
  }

  /**
   * A label coordinate: text along the dimensions the cube shares with it. When the characters run along a
   * dimension other than the last (`region_name(strlen, georegion)`), Iris takes the one the cube lacks.
   */
  protected async labelCoord(lv: DatasetVariable, cube: DatasetVariable): Promise<Coord> {
    const axis = stringAxis(lv, cube);
    if (axis === undefined || axis === lv.dims.length) return this.auxCoord(lv, cube, undefined, undefined);
    const labels = await transposedLabels(lv, axis, this.dataset, { signal: this.options.signal });
    const meta = this.coordAttributes(lv);
    const names = coordNames(lv, undefined, meta.attributes, this.log);
    const points: ArrayData = { kind: 'inline', dtype: 'string', shape: labels.shape.length === 0 ? [1] : labels.shape, values: labels.values };
    return this.coord(names, meta, labels.dims.filter((d) => cube.dims.includes(d)), points, {}, lv);
  }

  /** The coordinate system key of a dimension coordinate, by Iris's `action_build_dimension_coordinate` rules. */
  protected dimCoordSystem(cube: DatasetVariable, coordVar: string, type: CoordType, systems: Map<string, CoordSystem>): { ok: boolean; key?: string; why?: string } {
    if (type.gridClass === undefined) return { ok: true };
    const mappings = this.cf.gridMappings.get(cube.name);
    let key: string | undefined;
    if (systems.size > 0 && mappings) {
      if (systems.size === 1 && mappings.has(null)) key = [...systems.keys()][0];
      else {
        const name = mappings.get(coordVar);
        if (name !== undefined && systems.has(name)) key = name;
      }
    }
    const csClass = key === undefined ? undefined : gridClassOf(systems.get(key) as CoordSystem);
    switch (type.gridClass) {
      case 'latlon':
        if (csClass === 'rotated') return { ok: false, why: 'latlon coord with rotated cs' };
        return { ok: true, key: csClass === 'projected' ? undefined : key };
      case 'rotated':
        if (csClass === 'latlon') return { ok: false, why: 'rotated coord with latlon cs' };
        return { ok: true, key: csClass === 'projected' ? undefined : key };
      case 'projected':
        return csClass === 'projected' ? { ok: true, key } : { ok: false, why: 'projected coord with non-projected cs' };
    }
  }

}
