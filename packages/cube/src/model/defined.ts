/** A copy of `fields` without those whose value is undefined (left absent, not set to undefined). */
export function definedFields<T extends object>(fields: T): T {
  const out = {} as T;
  for (const key of Object.keys(fields) as (keyof T)[]) if (fields[key] !== undefined) out[key] = fields[key];
  return out;
}
