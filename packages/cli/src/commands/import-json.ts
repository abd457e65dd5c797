import { readFile } from 'node:fs/promises';
import { inspectImport } from '@cubemark/interop';
import type { Io } from '../io.js';

/** Sources after looking into the JSON ones, and what a STAC Item says about the publication. */
export interface ExpandedSources {
  sources: string[];
  name?: string;
  title?: string;
  /** Data variables STAC Items describe, to check the loaded cubes against. */
  variables: string[];
}

/**
 * `cubemark import` of JSON documents: a kerchunk reference file stays a source (the `kerchunk` reader loads it);
 * a STAC Item with the datacube extension is replaced by its data assets, and names and titles the publication.
 * Either is checked first, and problems are printed as `file:line:col CODE message`; undefined when any.
 */
export async function expandJsonSources(sources: readonly string[], io: Io): Promise<ExpandedSources | undefined> {
  const out: ExpandedSources = { sources: [], variables: [] };
  let failed = false;
  for (const source of sources) {
    if (!/\.json$/i.test(source) || /^[A-Za-z][A-Za-z0-9+.-]+:\/\//.test(source)) {
      out.sources.push(source);
      continue;
    }
    const inspection = inspectImport(await readFile(source, 'utf8'), source);
    for (const e of inspection.errors) io.err(`${e.format()}\n`);
    if (inspection.errors.length) {
      failed = true;
      continue;
    }
    if (inspection.kind === 'stac' && inspection.plan) {
      out.sources.push(...inspection.plan.sources);
      out.name ??= inspection.plan.name;
      out.title ??= inspection.plan.title;
      out.variables.push(...inspection.plan.variables);
    } else {
      out.sources.push(source);
    }
  }
  return failed ? undefined : out;
}
