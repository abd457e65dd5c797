import type { Publication } from '@cubemark/format';
import { publicationCdl } from './cdl/export.js';
import { InteropError } from './errors.js';
import { kerchunkReferences, kerchunkText } from './kerchunk/export.js';
import { publicationNcml, type NcmlOptions } from './ncml/export.js';
import { sourceAccess, type SourceAccessOptions } from './sources.js';
import { publicationStacCollection, type StacFiles } from './stac/collection.js';
import { publicationStacItem, type StacOptions } from './stac/export.js';
import { validateStac } from './stac/validate.js';

export const EXPORT_TARGETS = ['kerchunk', 'stac', 'cdl', 'ncml'] as const;
export type ExportTarget = (typeof EXPORT_TARGETS)[number];

export function isExportTarget(name: string): name is ExportTarget {
  return (EXPORT_TARGETS as readonly string[]).includes(name);
}

/** An exported document: its text, media type and usual file extension. */
export interface ExportResult {
  target: ExportTarget;
  text: string;
  mediaType: string;
  extension: string;
}

export interface ExportOptions extends SourceAccessOptions {
  stac?: StacOptions;
  ncml?: NcmlOptions;
}

/**
 * Export a publication to another tool's format. Only kerchunk (chunk locations) and STAC (coordinate extents)
 * read anything from the sources, and only metadata and coordinates. Throws `InteropError`
 * `EXPORT_CANNOT_EXPRESS` naming what the target cannot hold, rather than writing a lossy document.
 */
export async function exportPublication(publication: Publication, target: string, options: ExportOptions): Promise<ExportResult> {
  switch (target) {
    case 'kerchunk': {
      const refs = await kerchunkReferences(publication, sourceAccess(publication, options));
      return { target, text: kerchunkText(refs), mediaType: 'application/json', extension: '.json' };
    }
    case 'stac': {
      const item = await publicationStacItem(publication, sourceAccess(publication, options), options.stac);
      const problems = validateStac(item);
      if (problems.length) {
        throw new InteropError('EXPORT_INVALID', `the STAC Item made for '${publication.name}' does not validate: ${problems.map((p) => p.message).join('; ')}`);
      }
      return { target, text: `${JSON.stringify(item, null, 2)}\n`, mediaType: 'application/geo+json', extension: '.stac.json' };
    }
    case 'cdl':
      return { target, text: publicationCdl(publication), mediaType: 'text/plain; charset=utf-8', extension: '.cdl' };
    case 'ncml':
      return { target, text: publicationNcml(publication, options.ncml), mediaType: 'application/xml', extension: '.ncml' };
    default:
      throw new InteropError('EXPORT_UNKNOWN_TARGET', `unknown export target '${target}': use one of ${EXPORT_TARGETS.join(', ')}`);
  }
}

/**
 * A publication as a STAC Collection with one Item per cube (a static catalogue: file name → JSON text), each
 * document validated. For multi-cube runs; `exportPublication(pub, 'stac')` makes one Item for the whole.
 */
export async function exportStacCollection(publication: Publication, options: ExportOptions): Promise<Record<string, string>> {
  const files: StacFiles = await publicationStacCollection(publication, sourceAccess(publication, options), options.stac);
  const out: Record<string, string> = {};
  for (const [name, doc] of Object.entries(files)) {
    const problems = validateStac(doc);
    if (problems.length) throw new InteropError('EXPORT_INVALID', `the STAC document ${name} made for '${publication.name}' does not validate: ${problems.map((p) => p.message).join('; ')}`);
    out[name] = `${JSON.stringify(doc, null, 2)}\n`;
  }
  return out;
}
