import { readFile } from 'node:fs/promises';
import { diffPublications, findSummarySection, formatChanges, parse, serializeFrontmatter, type ParseResult } from '@cubemark/format';
import type { Io } from '../io.js';

/**
 * `cubemark diff A B`: what changed, semantically. Also works as a git external diff driver
 * (`diff.cubemark.command`), which git calls with 7 arguments: path old-file old-hex old-mode new-file new-hex new-mode
 * (and two more, the new path and a similarity line, for a rename).
 */
export async function diffCommand(args: string[], io: Io): Promise<number> {
  let a: string;
  let b: string;
  let label: string | undefined;
  if (args.length === 7 || args.length === 9) {
    // git passes 7 arguments, or 9 for a rename (new path and a similarity line at the end).
    [label, a, , , b] = args as [string, string, string, string, string];
    if (args.length === 9 && args[7] !== label) label = `${label} → ${args[7]}`;
  } else if (args.length === 2) {
    [a, b] = args as [string, string];
  } else {
    io.err('usage: cubemark diff OLD.cube.md NEW.cube.md\n');
    return 2;
  }
  const read = async (file: string): Promise<ParseResult | undefined> => {
    if (file === '/dev/null') return undefined;
    const r = parse(await readFile(file), { file });
    if (!r.publication) {
      for (const e of r.errors) io.err(`${e.format()}\n`);
      throw new Error(`${file} is not a valid cubemark file`);
    }
    return r;
  };
  const [ra, rb] = await Promise.all([read(a), read(b)]);
  const pa = ra?.publication;
  const pb = rb?.publication;
  if (!pa && !pb) return 0;
  if (!pa) {
    io.out(`${pb!.name}: new publication (${pb!.cubes.length} cubes)\n`);
    return 0;
  }
  if (!pb) {
    io.out(`${pa.name}: publication removed\n`);
    return 0;
  }
  const changes = diffPublications(pa, pb);
  const name = label ?? pb.name;
  if (changes.length > 0) {
    io.out(formatChanges(name, changes));
  } else if (ra!.frontmatter !== rb!.frontmatter) {
    // The same model written differently: a list against {start, step, count}, flow against block, comments.
    const canonical = serializeFrontmatter(pa) === serializeFrontmatter(pb);
    io.out(`${name}: same values; only how they are written differs${canonical ? ' (cubemark fmt writes both alike)' : ''}\n`);
  } else {
    io.out(formatChanges(name, changes));
  }
  if (prose(ra!.body) !== prose(rb!.body)) io.out(`  the prose (Markdown body) changed\n`);
  return 0;
}

/** A body without its generated section, which is derived from the frontmatter. */
function prose(body: string): string {
  const at = findSummarySection(body);
  return at ? body.slice(0, at.start) + body.slice(at.end) : body;
}
