import type { Attributes } from '@cubemark/format';
import type { NormalisedSelection } from '../lazy/types.js';
import { attributesEqual, copyAttributes } from './attributes.js';
import { scalarKeepingSelection, type ArrayInput } from './coords.js';
import { DescribedArray } from './described-array.js';
import { sameResults } from './equality.js';
import { nameOf, pickNames, sameNames, type NamesInit } from './names.js';

export interface AncillaryVariableInit extends NamesInit {
  data: ArrayInput;
  /** UDUNITS string (default: `unknown`). */
  units?: string;
  attributes?: Attributes;
}

export interface CellMeasureInit extends AncillaryVariableInit {
  measure: 'area' | 'volume';
}

/** A CF ancillary variable (status flags, uncertainties): values on some of the cube's dimensions, held lazily. */
export class AncillaryVariable {
  standardName?: string;
  longName?: string;
  varName?: string;
  units: string;
  attributes: Attributes;
  readonly data: DescribedArray;

  constructor(init: AncillaryVariableInit) {
    if (init.standardName !== undefined) this.standardName = init.standardName;
    if (init.longName !== undefined) this.longName = init.longName;
    if (init.varName !== undefined) this.varName = init.varName;
    this.units = init.units ?? 'unknown';
    this.attributes = copyAttributes(init.attributes ?? {});
    this.data = DescribedArray.from(init.data);
  }

  name(): string {
    return nameOf(this);
  }

  get shape(): readonly number[] {
    return this.data.shape;
  }

  toInit(): AncillaryVariableInit {
    return { data: this.data, units: this.units, attributes: this.attributes, ...pickNames(this) };
  }

  copy(changes: Partial<AncillaryVariableInit> = {}): this {
    const Ctor = this.constructor as new (init: AncillaryVariableInit) => this;
    return new Ctor({ ...this.toInit(), ...changes });
  }

  /** A selection of the values (normalised against their shape); indexing every axis leaves shape [1]. */
  sliceNormalised(selection: NormalisedSelection): this {
    const data = this.data.sliceNormalised(scalarKeepingSelection(selection));
    return data === this.data ? this : this.copy({ data });
  }

  metadataEquals(other: AncillaryVariable): boolean {
    return sameNames(this, other) && this.units === other.units && attributesEqual(this.attributes, other.attributes);
  }

  async equals(other: AncillaryVariable): Promise<boolean> {
    if (!this.metadataEquals(other) || this.shape.join() !== other.shape.join()) return false;
    return sameResults(await this.data.values(), await other.data.values());
  }
}

/** A CF cell measure: the area or volume of each cell, on some of the cube's dimensions. */
export class CellMeasure extends AncillaryVariable {
  measure: 'area' | 'volume';

  constructor(init: CellMeasureInit) {
    super(init);
    this.measure = init.measure;
  }

  override toInit(): CellMeasureInit {
    return { ...super.toInit(), measure: this.measure };
  }

  override metadataEquals(other: AncillaryVariable): boolean {
    return other instanceof CellMeasure && other.measure === this.measure && super.metadataEquals(other);
  }
}
