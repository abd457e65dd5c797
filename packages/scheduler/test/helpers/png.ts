import { expect } from 'vitest';

/** An answer of the plot route: 200, `image/png`, the PNG signature and, in its IHDR, `width` pixels across. */
export async function expectPng(answer: Response, width: number): Promise<void> {
  expect(answer.status, answer.status === 200 ? '' : await answer.clone().text()).toBe(200);
  expect(answer.headers.get('content-type')).toBe('image/png');
  const png = new Uint8Array(await answer.arrayBuffer());
  expect([...png.slice(0, 4)]).toEqual([0x89, 0x50, 0x4e, 0x47]);
  // IHDR width, big-endian at byte 16.
  expect(new DataView(png.buffer).getUint32(16)).toBe(width);
}
