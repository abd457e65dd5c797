export { Cube, type CubeExtractor, type CubeInit } from './cube.js';
export type { CoordEntry, CubeParts, Spanning } from './parts.js';
export { CubeList } from './cube-list.js';
export { Coord, DimCoord, AuxCoord, type ArrayInput, type Cell, type CellValue, type CoordInit } from './coords.js';
export { CellMethod } from './cell-method.js';
export { CellMeasure, AncillaryVariable, type CellMeasureInit, type AncillaryVariableInit } from './ancillary.js';
export {
  AuxFactory,
  HybridHeightFactory,
  HybridPressureFactory,
  AtmosphereSigmaFactory,
  OceanSigmaZFactory,
  OceanSigmaFactory,
  OceanSFactory,
  OceanSg1Factory,
  OceanSg2Factory,
  AUX_FACTORIES,
  auxFactoryFromMeta,
  type AuxFactoryInit,
  type Dependency,
} from './aux-factory.js';
export { CubeAttrsDict, DEFAULT_GLOBAL_KEYS, attributeValuesEqual } from './attributes.js';
export { DescribedArray } from './described-array.js';
export type { Description, SourceList } from './array-data.js';
export { Constraint, type AttributeConstraint, type ConstraintSpec } from './constraint.js';
export {
  compareDate,
  dateRange,
  type CellPredicate,
  type ConstraintCell,
  type CoordValue,
  type CoordValueConstraint,
  type PartialDateTime,
} from './coord-constraint.js';
export { Aggregator, MEAN, MIN, MAX, SUM, STD_DEV, collapseCoord, type CollapseOptions } from './collapse.js';
export { ReducedLazyArray, ComputedLazyArray, UnitAxesLazyArray } from './reduced-array.js';
export { FormulaLazyArray, type Formula, type FormulaTerm, type FormulaOptions } from './formula-array.js';
export type { CubeIndex } from './indexing.js';
export { mergeCube, mergeCubes, type MergeOptions } from './merge.js';
export { concatenateCube, concatenateCubes, type ConcatenateOptions } from './concatenate.js';
export { cubesFromPublication, publicationFromCubes, type PublicationOptions } from './publication.js';
export { cubeToMeta, type CubeContext, type ToMetaOptions } from './meta.js';
export { meshFits, type MeshPlacement } from './mesh.js';
export {
  ConcatenateError,
  ConstraintMismatchError,
  CoordinateCollapseError,
  CoordinateMultiDimError,
  CoordinateNotFoundError,
  CubeStructureError,
  DuplicateDataError,
  MergeError,
  NotRepresentableError,
} from './errors.js';
