import { LineCounter } from 'yaml';
import { compose } from '../compose/compose.js';
import { bytePosition, firstInvalidUtf8 } from '../document/encoding.js';
import { splitDocument } from '../document/split.js';
import type { ErrorCode } from '../errors/codes.js';
import { FormatError, InvalidDocumentError } from '../errors/format-error.js';
import type { Publication } from '../model/types.js';
import { FORMAT_VERSION, FORMAT_VERSIONS } from '../model/types.js';
import { validateSchema } from '../schema/validate.js';
import { checkSemantics } from '../validate/semantic.js';
import { parseYamlFast } from '../yaml/fast.js';
import { DEFAULT_LIMITS, type ParseLimits } from '../yaml/limits.js';
import { parseYamlSlow, type SlowParse } from '../yaml/slow.js';

export interface ParseOptions {
  /** The file's path, used in error messages. */
  file?: string;
  limits?: Partial<ParseLimits>;
}

export interface ParseResult {
  /** The model, when the file has no errors. */
  publication?: Publication;
  errors: FormatError[];
  /** The Markdown after the frontmatter, byte for byte. */
  body: string;
  /** The YAML frontmatter text. */
  frontmatter: string;
  file?: string;
}

interface Located {
  code: ErrorCode;
  message: string;
  pointer: string;
  key?: boolean;
}

/**
 * Reads a `.cube.md` file: splits off the frontmatter, reads the YAML, checks it against the schema and the
 * semantic rules, and builds the model. Never throws for bad input: every problem is a `FormatError` with a
 * stable code, the file, line and column, and a JSON pointer. Valid files take a fast path; positions are worked
 * out (with the reference YAML reader) only when something is wrong.
 */
export function parse(input: string | Uint8Array, options: ParseOptions = {}): ParseResult {
  const limits = { ...DEFAULT_LIMITS, ...options.limits };
  const file = options.file;
  const fail = (code: ErrorCode, message: string, line = 1, column = 1): ParseResult => ({
    errors: [new FormatError(code, message, { file, line, column })],
    body: '',
    frontmatter: '',
    file,
  });

  let text: string;
  if (typeof input === 'string') {
    if (input.length > limits.maxBytes) return fail('FILE_TOO_LARGE', `the file has ${input.length} characters; the limit is ${limits.maxBytes} bytes`);
    text = input;
  } else {
    if (input.length > limits.maxBytes) return fail('FILE_TOO_LARGE', `the file is ${input.length} bytes; the limit is ${limits.maxBytes}`);
    // The platform's strict decoder checks and decodes in one native pass (a byte-order mark is kept, as the
    // document split expects); the portable check (~0.25 ms for 200 KB) runs only to say where a bad file goes
    // wrong. The format package also runs in the browser (the explorer), so no `node:buffer`.
    const decoded = decodeUtf8(input);
    const bad = decoded === undefined ? firstInvalidUtf8(input) : -1;
    if (bad >= 0) {
      const { line, column } = bytePosition(input, bad);
      return fail('INVALID_ENCODING', `byte 0x${input[bad]!.toString(16).padStart(2, '0')} at offset ${bad} is not valid UTF-8: save the file as UTF-8`, line, column);
    }
    // (Were the two checks ever to disagree, the portable one decides, as before: decoded with replacements.)
    text = decoded ?? new TextDecoder('utf-8', { ignoreBOM: true }).decode(input);
  }

  const split = splitDocument(text);
  if ('code' in split) return fail(split.code, split.message, split.line, split.column);
  const { yaml, body, yamlLine } = split;

  let slow: SlowParse | undefined;
  const getSlow = () => (slow ??= parseYamlSlow(yaml, limits));
  const position = (offset: number) => {
    const lc: LineCounter = getSlow().lineCounter;
    const { line, col } = lc.linePos(offset);
    return { line: line + yamlLine - 1, column: col };
  };
  const done = (problems: Located[], publication?: Publication): ParseResult => {
    const errors = problems.map((p) => {
      const s = getSlow();
      const { line, column } = position(s.locate(p.pointer, p.key));
      return new FormatError(p.code, p.message, { file, line, column, pointer: p.pointer });
    });
    return { ...(errors.length === 0 && publication && { publication }), errors, body, frontmatter: yaml, file };
  };

  let value = parseYamlFast(yaml, limits);
  if (value === undefined) {
    const s = getSlow();
    if (s.problems.length > 0) {
      const errors = s.problems.map((p) => {
        const { line, column } = position(p.offset);
        return new FormatError(p.code, fixLines(p.message, yamlLine), { file, line, column, pointer: p.pointer });
      });
      return { errors, body, frontmatter: yaml, file };
    }
    value = s.value;
  }

  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    return done([{ code: 'TYPE', message: 'the frontmatter must be a mapping of keys to values', pointer: '' }]);
  }
  const raw = value as Record<string, unknown>;
  if (!Object.hasOwn(raw, 'cubemark')) {
    return done([{ code: 'MISSING_VERSION', message: `no 'cubemark' key: add 'cubemark: ${FORMAT_VERSION}' as the first line`, pointer: '' }]);
  }
  if (typeof raw.cubemark === 'number' && raw.cubemark > FORMAT_VERSION) {
    return done([
      {
        code: 'UNSUPPORTED_VERSION',
        message: `the file is cubemark format version ${raw.cubemark}; this reader knows versions ${FORMAT_VERSIONS.join(' and ')}: upgrade cubemark to read it`,
        pointer: '/cubemark',
      },
    ]);
  }

  const schemaProblems = validateSchema(raw);
  if (schemaProblems.length > 0) return done(schemaProblems);
  const { publication, problems } = compose(raw);
  const semantic = checkSemantics(publication);
  return done([...problems, ...semantic], publication);
}

/** Like `parse`, but throws an `InvalidDocumentError` listing the problems. */
export function parseOrThrow(input: string | Uint8Array, options?: ParseOptions): ParseResult & { publication: Publication } {
  const r = parse(input, options);
  if (!r.publication) throw new InvalidDocumentError(r.errors);
  return r as ParseResult & { publication: Publication };
}

/** The reference reader counts lines from the start of the YAML; messages that quote positions need file lines. */
function fixLines(message: string, yamlLine: number): string {
  return message.replace(/\(first at (\d+):(\d+)\)/, (_, l: string, c: string) => `(first at ${Number(l) + yamlLine - 1}:${c})`);
}

const UTF8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

/** `bytes` as text, or `undefined` when they are not valid UTF-8. */
function decodeUtf8(bytes: Uint8Array): string | undefined {
  try {
    return UTF8.decode(bytes);
  } catch {
    return undefined;
  }
}
