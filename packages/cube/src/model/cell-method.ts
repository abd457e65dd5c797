import type { CellMethod as CellMethodMeta } from '@cubemark/format';

/** A CF cell method (`time: mean (interval: 1 hour)`): how the values of a cell were arrived at. */
export class CellMethod {
  readonly method: string;
  /** Names of the coordinates the method applied over. */
  readonly coords: readonly string[];
  readonly intervals: readonly string[];
  readonly comments: readonly string[];

  constructor(method: string, coords: string | readonly string[] = [], intervals: string | readonly string[] = [], comments: string | readonly string[] = []) {
    this.method = method;
    this.coords = typeof coords === 'string' ? [coords] : [...coords];
    this.intervals = typeof intervals === 'string' ? [intervals] : [...intervals];
    this.comments = typeof comments === 'string' ? [comments] : [...comments];
  }

  static fromMeta(meta: CellMethodMeta): CellMethod {
    return new CellMethod(meta.method, meta.coords, meta.intervals, meta.comments);
  }

  toMeta(): CellMethodMeta {
    return { method: this.method, coords: [...this.coords], intervals: [...this.intervals], comments: [...this.comments] };
  }

  equals(other: CellMethod): boolean {
    const same = (a: readonly string[], b: readonly string[]) => a.length === b.length && a.every((x, i) => x === b[i]);
    return (
      this.method === other.method &&
      same(this.coords, other.coords) &&
      same(this.intervals, other.intervals) &&
      same(this.comments, other.comments)
    );
  }

  /** The CF `cell_methods` text, as Iris prints it: `time: mean (interval: 1 hour)`. */
  toString(): string {
    const head = [...this.coords.map((c) => `${c}:`), this.method].join(' ');
    const extra = [...this.intervals.map((i) => `interval: ${i}`), ...this.comments.map((c) => `comment: ${c}`)];
    return extra.length > 0 ? `${head} (${extra.join(' ')})` : head;
  }
}
