/** Browser glue for @cubemark/plot's figures: pixel ratio, an image canvas for RGBA, PNG downloads. */

export function pixelRatio(): number {
  return Math.min(3, Math.max(1, globalThis.devicePixelRatio || 1));
}

/** Size a canvas to `width` × `height` device pixels, shown at that size divided by `ratio` (CSS pixels). */
export function sizeCanvas(canvas: HTMLCanvasElement, width: number, height: number, ratio: number): void {
  canvas.width = width;
  canvas.height = height;
  canvas.style.width = `${width / ratio}px`;
  canvas.style.height = `${height / ratio}px`;
}

/** A canvas holding RGBA pixels, reused across redraws (allocating one per slider step would churn memory). */
export function imageCanvas(previous: HTMLCanvasElement | undefined, data: Uint8ClampedArray, width: number, height: number): HTMLCanvasElement {
  const canvas = previous ?? document.createElement('canvas');
  if (canvas.width !== width || canvas.height !== height) {
    canvas.width = width;
    canvas.height = height;
  }
  canvas.getContext('2d')!.putImageData(new ImageData(data as Uint8ClampedArray<ArrayBuffer>, width, height), 0, 0);
  return canvas;
}

/** Save a canvas as a PNG file (canvas.toBlob: the figure exactly as shown, at device resolution). */
export function downloadPng(canvas: HTMLCanvasElement, filename: string): void {
  canvas.toBlob((blob) => {
    if (!blob) return;
    const url = URL.createObjectURL(blob);
    const a = document.createElement('a');
    a.href = url;
    a.download = filename;
    document.body.append(a);
    a.click();
    a.remove();
    setTimeout(() => URL.revokeObjectURL(url), 10_000);
  }, 'image/png');
}

/** A file name from parts: letters, digits, dots, dashes. */
export function fileName(...parts: (string | number)[]): string {
  return parts.map((p) => String(p).replace(/[^A-Za-z0-9.-]+/g, '_').replace(/^_+|_+$/g, '')).filter(Boolean).join('-');
}
