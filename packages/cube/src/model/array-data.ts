import {
  detectRegular,
  isNumericDtype,
  regularValues,
  type ArrayData,
  type ArrayValues,
  type Dtype,
  type Source,
} from '@cubemark/format';
import { allocate, castValues, product, stridesOf } from '../lazy/dtype.js';
import { gather } from '../lazy/gather.js';
import { axisIndices, isIndex, selectionShape } from '../lazy/selection.js';
import { copyStrided } from '../lazy/strided.js';
import type { NormalisedAxis, NormalisedSelection } from '../lazy/types.js';

/**
 * Format `ArrayData` as the model manipulates it: slicing a description the way a lazy view slices values, and
 * combining descriptions the way merge and concatenate combine arrays. Kept apart from the lazy arrays so that
 * writing a cube back (`toMeta`) never reads anything.
 */

/** The sources `SourceArray.source` indices point into. */
export type SourceList = readonly (Source | string)[];

/** How to write an array in the format, or why it cannot be written. */
export type Description = { readonly data: ArrayData; readonly sources: SourceList } | { readonly reason: string };

const NO_SOURCES: SourceList = Object.freeze([]);

export function isDescribed(d: Description): d is Extract<Description, { data: ArrayData }> {
  return 'data' in d;
}

/** True when `selection` takes every element of `shape` in order (slicing by it changes nothing). */
export function isFullSelection(selection: NormalisedSelection, shape: readonly number[]): boolean {
  return selection.every((s, d) => !isIndex(s) && s.start === 0 && s.step === 1 && s.count === shape[d]);
}

/** The values of an inline or regular array, in a container of its dtype; `undefined` for other kinds. */
export function inlineValuesOf(data: ArrayData): ArrayValues | undefined {
  if (data.kind === 'inline') return castValues(data.values, data.dtype);
  if (data.kind === 'regular') return regularValues(data);
  return undefined;
}

function inlineOf(dtype: Dtype, shape: number[], values: ArrayValues): ArrayData {
  // A sliced regular grid stays regular when it can, so a subset of a long axis stays three numbers.
  if (isNumericDtype(dtype) && shape.length >= 1 && shape.length <= 2) {
    const regular = detectRegular(dtype, shape, values);
    if (regular) return regular;
  }
  return { kind: 'inline', dtype, shape, values };
}

type Sliced = { data: ArrayData } | { reason: string };

function sliceData(data: ArrayData, selection: NormalisedSelection): Sliced {
  if (isFullSelection(selection, data.shape)) return { data };
  const shape = selectionShape(selection);
  switch (data.kind) {
    case 'inline':
      return { data: { kind: 'inline', dtype: data.dtype, shape, values: gather(data.values, data.shape, selection) } };
    case 'regular':
      return { data: inlineOf(data.dtype, shape, gather(regularValues(data), data.shape, selection)) };
    case 'source':
      return {
        reason: `it is a part of '${data.variable}' (${data.format} source ${data.source}), and the format describes only whole source arrays`,
      };
    case 'combined':
      return sliceCombined(data, selection, shape);
  }
}

/** Push a selection down into the parts it touches, as `CombinedLazyArray` routes reads. */
function sliceCombined(data: Extract<ArrayData, { kind: 'combined' }>, selection: NormalisedSelection, shape: number[]): Sliced {
  const axis = data.axis;
  const sel = selection[axis];
  const outAxis = selection.slice(0, axis).filter((s) => !isIndex(s)).length;
  const keepDtype = (piece: Sliced): Sliced => {
    if (!('data' in piece) || piece.data.dtype === data.dtype) return piece;
    // A lone part read through the combination is converted to the combination's dtype; keep that conversion.
    if (piece.data.shape.length === 0) return { reason: `it is one element of a combined array whose parts have another dtype` };
    return { data: { kind: 'combined', dtype: data.dtype, shape: piece.data.shape, mode: 'concat', axis: 0, parts: [piece.data] } };
  };
  const join = (pieces: Sliced[], mode: 'stack' | 'concat'): Sliced => {
    const parts: ArrayData[] = [];
    for (const p of pieces) {
      if (!('data' in p)) return p;
      parts.push(p.data);
    }
    if (parts.length === 0) return { data: { kind: 'inline', dtype: data.dtype, shape, values: allocate(data.dtype, 0) } };
    if (parts.length === 1 && mode === 'concat') return keepDtype({ data: parts[0] });
    return { data: { kind: 'combined', dtype: data.dtype, shape, mode, axis: outAxis, parts } };
  };
  if (data.mode === 'stack') {
    const rest = selection.filter((_, d) => d !== axis);
    if (isIndex(sel)) return keepDtype(sliceData(data.parts[sel.index], rest));
    return join(axisIndices(sel).map((i) => sliceData(data.parts[i], rest)), 'stack');
  }
  const offsets = [0];
  for (const p of data.parts) offsets.push(offsets[offsets.length - 1] + p.shape[axis]);
  const partOf = (i: number): number => {
    let p = 0;
    while (offsets[p + 1] <= i) p++;
    return p;
  };
  const local = (entry: NormalisedAxis): NormalisedAxis[] => selection.map((s, d) => (d === axis ? entry : s));
  if (isIndex(sel)) {
    const p = partOf(sel.index);
    return keepDtype(sliceData(data.parts[p], local({ index: sel.index - offsets[p] })));
  }
  // Selected indices are monotonic, so those falling in one part are consecutive.
  const pieces: Sliced[] = [];
  let j = 0;
  while (j < sel.count) {
    const first = sel.start + j * sel.step;
    const p = partOf(first);
    let k = j + 1;
    while (k < sel.count && partOf(sel.start + k * sel.step) === p) k++;
    pieces.push(sliceData(data.parts[p], local({ start: first - offsets[p], step: sel.step, count: k - j })));
    j = k;
  }
  return join(pieces, 'concat');
}

/** The description of a view: same sources, data sliced (or the reason it cannot be). */
export function sliceDescription(description: Description, selection: NormalisedSelection): Description {
  if (!isDescribed(description)) return description;
  const sliced = sliceData(description.data, selection);
  return 'data' in sliced ? { data: sliced.data, sources: description.sources } : sliced;
}

/** `data` with every `SourceArray.source` index mapped through `map`. */
export function remapSources(data: ArrayData, map: readonly number[]): ArrayData {
  switch (data.kind) {
    case 'source': {
      const source = map[data.source];
      return source === data.source ? data : { ...data, source };
    }
    case 'combined': {
      const parts = data.parts.map((p) => remapSources(p, map));
      return parts.every((p, i) => p === data.parts[i]) ? data : { ...data, parts };
    }
    default:
      return data;
  }
}

function usesSources(data: ArrayData): boolean {
  return data.kind === 'source' || (data.kind === 'combined' && data.parts.some(usesSources));
}

function sameSource(a: Source | string, b: Source | string): boolean {
  if (a === b) return true;
  const x = typeof a === 'string' ? { uri: a } : a;
  const y = typeof b === 'string' ? { uri: b } : b;
  return x.uri === y.uri && x.size === y.size && x.mtime === y.mtime && x.etag === y.etag;
}

/**
 * One source list for several descriptions: the first list as it is (so indices into it stay valid), then any
 * source of the later lists it lacks. `maps[i][j]` is where source `j` of description `i`'s list went.
 */
export function unifySources(lists: readonly SourceList[]): { sources: SourceList; maps: number[][] } {
  const first = lists.find((l) => l.length > 0);
  if (first === undefined) return { sources: NO_SOURCES, maps: lists.map(() => []) };
  const sources: (Source | string)[] = [...first];
  const maps = lists.map((list) => {
    if (list === first) return list.map((_, j) => j);
    return list.map((s) => {
      const at = sources.findIndex((t) => sameSource(s, t));
      if (at >= 0) return at;
      sources.push(s);
      return sources.length - 1;
    });
  });
  return { sources: sources.length === first.length ? first : sources, maps };
}

/** Descriptions re-expressed against one shared source list (unchanged when they already share one). */
export function withSharedSources(
  descriptions: readonly { data: ArrayData; sources: SourceList }[],
): { data: ArrayData[]; sources: SourceList } {
  const relevant = descriptions.map((d) => (usesSources(d.data) ? d.sources : NO_SOURCES));
  const { sources, maps } = unifySources(relevant);
  return { data: descriptions.map((d, i) => remapSources(d.data, maps[i])), sources };
}

/**
 * The description of parts stacked or concatenated (as `CombinedLazyArray` combines them). With `inline`, parts
 * that are all inline or regular become one inline array (right for coordinates: small, and nicer to read).
 */
export function combineDescriptions(
  parts: readonly Description[],
  mode: 'stack' | 'concat',
  axis: number,
  dtype: Dtype,
  shape: readonly number[],
  options: { inline?: boolean } = {},
): Description {
  const described: { data: ArrayData; sources: SourceList }[] = [];
  for (const p of parts) {
    if (!isDescribed(p)) return p;
    described.push(p);
  }
  if (options.inline) {
    const values = described.map((d) => inlineValuesOf(d.data));
    if (values.every((v): v is ArrayValues => v !== undefined)) {
      return {
        data: inlineOf(dtype, [...shape], joinValues(values, described.map((d) => d.data.shape), mode, axis, dtype, shape)),
        sources: NO_SOURCES,
      };
    }
  }
  const shared = withSharedSources(described);
  return { data: { kind: 'combined', dtype, shape: [...shape], mode, axis, parts: shared.data }, sources: shared.sources };
}

/** Values of parts laid side by side along `axis` (concat) or as slabs of a new `axis` (stack), in memory. */
function joinValues(
  parts: readonly ArrayValues[],
  shapes: readonly (readonly number[])[],
  mode: 'stack' | 'concat',
  axis: number,
  dtype: Dtype,
  shape: readonly number[],
): ArrayValues {
  const out = allocate(dtype, product(shape));
  const outStrides = stridesOf(shape);
  let offset = 0;
  parts.forEach((values, i) => {
    const partShape = mode === 'stack' ? [...shapes[i].slice(0, axis), 1, ...shapes[i].slice(axis)] : [...shapes[i]];
    copyStrided(values, 0, stridesOf(partShape), out, offset * outStrides[axis], outStrides, partShape);
    offset += partShape[axis];
  });
  return out;
}
