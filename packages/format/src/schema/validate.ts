import type { ErrorCode } from '../errors/codes.js';
import { checkPublicationName } from '../publication/name.js';
import { validate as compiled } from './validator.generated.js';

/** A schema problem: what is wrong and where (a JSON pointer; `key` when the key itself is at fault). */
export interface SchemaProblem {
  code: ErrorCode;
  message: string;
  pointer: string;
  key: boolean;
}

interface AjvError {
  instancePath: string;
  keyword: string;
  params: Record<string, unknown>;
  message?: string;
}

type CompiledValidator = ((data: unknown) => boolean) & { errors?: AjvError[] | null };

/**
 * Checks a frontmatter value against the vendored JSON Schema (spec/schema/cubemark-v1.schema.json), compiled
 * ahead of time so start-up pays no compile cost. Reports the first problem with a stable code.
 */
export function validateSchema(value: unknown): SchemaProblem[] {
  const v = compiled as unknown as CompiledValidator;
  if (v(value)) return [];
  return (v.errors ?? []).filter((e) => e.keyword !== 'if').map((e) => nameProblem(e, value) ?? toProblem(e));
}

/** The publication name's form and length are the name rule's (`INVALID_NAME`, its message), as everywhere else. */
function nameProblem(e: AjvError, value: unknown): SchemaProblem | undefined {
  if (e.instancePath !== '/name' || e.keyword === 'type') return undefined;
  const problem = checkPublicationName((value as { name?: unknown }).name);
  return problem && { code: problem.code, message: problem.message, pointer: '/name', key: false };
}

function toProblem(e: AjvError): SchemaProblem {
  const at = e.instancePath;
  const parts = at.split('/');
  const last = parts.pop()!;
  // `cubes/0` says more than `0`.
  const field = at === '' ? 'the document' : /^\d+$/.test(last) ? `'${parts.pop()}/${last}'` : `'${last}'`;
  switch (e.keyword) {
    case 'required':
      return { code: at === '' && e.params.missingProperty === 'cubemark' ? 'MISSING_VERSION' : 'REQUIRED', message: `${field} is missing required key '${String(e.params.missingProperty)}'`, pointer: at, key: false };
    case 'additionalProperties': {
      const k = String(e.params.additionalProperty);
      return { code: 'UNKNOWN_KEY', message: `${field} has unknown key '${k}'`, pointer: `${at}/${k.replace(/~/g, '~0').replace(/\//g, '~1')}`, key: true };
    }
    case 'type':
      return { code: 'TYPE', message: `${field} must be ${article(String(e.params.type))}`, pointer: at, key: false };
    case 'enum':
      if (at === '/cubemark') return { code: 'UNSUPPORTED_VERSION', message: `'cubemark' must be 1 or 1.1: this reader knows format versions 1 and 1.1 only`, pointer: at, key: false };
      return { code: 'ENUM', message: `${field} must be one of ${(e.params.allowedValues as unknown[]).map((x) => JSON.stringify(x)).join(', ')}`, pointer: at, key: false };
    case 'const':
      if (at === '/cubemark') return { code: 'UNSUPPORTED_VERSION', message: `'cubemark' must be 1: this reader knows format version 1 only`, pointer: at, key: false };
      return { code: 'ENUM', message: `${field} must be ${JSON.stringify(e.params.allowedValue)}`, pointer: at, key: false };
    case 'pattern':
    case 'format':
      return { code: 'PATTERN', message: `${field} ${e.message ?? 'has the wrong form'}`, pointer: at, key: false };
    case 'minimum':
    case 'maximum':
    case 'exclusiveMinimum':
    case 'exclusiveMaximum':
      return { code: 'RANGE', message: `${field} ${e.message}`, pointer: at, key: false };
    case 'minItems':
    case 'maxItems':
    case 'minLength':
    case 'maxLength':
      return { code: 'LENGTH', message: `${field} ${e.message}`, pointer: at, key: false };
    case 'not':
    case 'propertyNames':
      return { code: 'FORBIDDEN_KEY', message: `${field} has a key that is not allowed`, pointer: at, key: true };
    default:
      return { code: 'SCHEMA', message: `${field} ${e.message ?? 'does not match the schema'}`, pointer: at, key: false };
  }
}

function article(type: string): string {
  const t = type.replace(/,/g, ' or ');
  return /^[aeiou]/.test(t) ? `an ${t}` : `a ${t}`;
}
