/**
 * The part of the Canvas 2D API the figures draw with. Browsers' `CanvasRenderingContext2D` and
 * @napi-rs/canvas's `SKRSContext2D` both satisfy it, so the page and the server draw the same figure with the same
 * code. `Image` is whatever the context's `drawImage` accepts (a canvas holding the field's pixels).
 */
export interface Canvas2D<Image> {
  fillStyle: string | object;
  strokeStyle: string | object;
  lineWidth: number;
  lineJoin: string;
  font: string;
  textAlign: string;
  textBaseline: string;
  imageSmoothingEnabled: boolean;
  save(): void;
  restore(): void;
  translate(x: number, y: number): void;
  rotate(angle: number): void;
  clearRect(x: number, y: number, w: number, h: number): void;
  fillRect(x: number, y: number, w: number, h: number): void;
  strokeRect(x: number, y: number, w: number, h: number): void;
  beginPath(): void;
  rect(x: number, y: number, w: number, h: number): void;
  clip(): void;
  moveTo(x: number, y: number): void;
  lineTo(x: number, y: number): void;
  arc(x: number, y: number, radius: number, startAngle: number, endAngle: number): void;
  stroke(): void;
  fill(): void;
  fillText(text: string, x: number, y: number): void;
  measureText(text: string): { width: number };
  drawImage(image: Image, dx: number, dy: number, dw: number, dh: number): void;
}

export interface Rect {
  x: number;
  y: number;
  width: number;
  height: number;
}

/** Fonts tried in order: DejaVu is what Debian servers have (fonts-dejavu-core), the rest cover browsers. */
export const DEFAULT_FONT_FAMILY = '"DejaVu Sans", "Segoe UI", system-ui, sans-serif';

/** `text`, shortened with an ellipsis until it fits `width` at the context's current font. */
export function fitText<I>(ctx: Canvas2D<I>, text: string, width: number): string {
  if (ctx.measureText(text).width <= width) return text;
  let lo = 0;
  let hi = text.length;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (ctx.measureText(`${text.slice(0, mid)}…`).width <= width) lo = mid;
    else hi = mid - 1;
  }
  return lo > 0 ? `${text.slice(0, lo)}…` : '';
}
