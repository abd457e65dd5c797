/** Documents and HTTP helpers for the cluster tests. */
import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';

export const FIXTURES = fileURLToPath(new URL('../../../../fixtures/iris-test-data/', import.meta.url));
/** What the fixtures' relative sources resolve against. */
export const IRIS_DATA = '/work/shared/data/iris-test-data';

/** A fixture document published under `name`, its title made `title` (so versions differ). */
export async function documentAs(fixture: string, name: string, title = name): Promise<string> {
  const text = await readFile(`${FIXTURES}${fixture}.cube.md`, 'utf8');
  return text.replace(/^name: .*$/m, `name: ${name}`).replace(/^title: .*$/m, `title: ${JSON.stringify(title)}`);
}

export interface Answer {
  status: number;
  body: unknown;
  text: string;
  headers: Headers;
}

export async function request(url: string, init: RequestInit = {}): Promise<Answer> {
  const response = await fetch(url, init);
  const text = await response.text();
  let body: unknown = text;
  if (/json/.test(response.headers.get('content-type') ?? '')) body = JSON.parse(text);
  return { status: response.status, body, text, headers: response.headers };
}

export function publish(base: string, text: string, replace = false): Promise<Answer> {
  return request(`${base}/publications${replace ? '?replace=true' : ''}`, { method: 'POST', headers: { 'content-type': 'text/markdown' }, body: text });
}

export function unpublish(base: string, name: string): Promise<Answer> {
  return request(`${base}/publications/${name}`, { method: 'DELETE' });
}

export async function names(base: string): Promise<string[]> {
  const { body } = await request(`${base}/publications`);
  return (body as { publications: { name: string }[] }).publications.map((p) => p.name);
}

export async function titleOn(base: string, name: string): Promise<string | undefined> {
  const answer = await request(`${base}/publications/${name}`);
  return answer.status === 200 ? (answer.body as { title?: string }).title : undefined;
}

export function sha256(bytes: Uint8Array | string): string {
  return createHash('sha256').update(bytes).digest('hex');
}
