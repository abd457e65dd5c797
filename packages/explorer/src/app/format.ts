/** Small text helpers for the page. */

/** Bytes in binary units, as people read sizes: `1.9 MiB`, `5.2 GiB`. */
export function formatBytes(bytes: number): string {
  if (!Number.isFinite(bytes) || bytes < 0) return '–';
  if (bytes < 1024) return `${bytes} B`;
  const units = ['KiB', 'MiB', 'GiB', 'TiB', 'PiB'];
  let v = bytes / 1024;
  let u = 0;
  while (v >= 1024 && u < units.length - 1) {
    v /= 1024;
    u++;
  }
  return `${v >= 100 ? v.toFixed(0) : v.toFixed(1)} ${units[u]}`;
}

export function formatShape(shape: readonly number[]): string {
  return shape.length ? shape.join(' × ') : 'scalar';
}

/**
 * A cube's dimensions for the parameter table: names in order, the dimension over a mesh's elements said as what it
 * is (`time, 864 faces of mesh Mesh2d`), since its netCDF name (`nMesh2d_face`) tells little.
 */
export function formatDims(cube: { dims: readonly string[]; shape: readonly number[]; mesh?: { name: string; location: string; dim: string } }): string {
  return cube.dims
    .map((dim, axis) => (cube.mesh?.dim === dim ? `${cube.shape[axis]} ${cube.mesh.location}s of mesh ${cube.mesh.name}` : dim))
    .join(', ');
}

/** A cell method as CF writes it: `time: mean (interval: 1 hour)`. */
export function formatCellMethod(m: { method: string; coords: string[]; intervals: string[]; comments: string[] }): string {
  const extra = [...m.intervals.map((i) => `interval: ${i}`), ...m.comments.map((c) => `comment: ${c}`)];
  return `${m.coords.length ? `${m.coords.join(': ')}: ` : ''}${m.method}${extra.length ? ` (${extra.join(' ')})` : ''}`;
}

/** Whether `query` (words, any order, any case) matches a publication's name or title. */
export function matchesQuery(query: string, ...fields: (string | undefined)[]): boolean {
  const text = fields.filter(Boolean).join(' ').toLowerCase();
  return query
    .toLowerCase()
    .split(/\s+/)
    .filter(Boolean)
    .every((word) => text.includes(word));
}
