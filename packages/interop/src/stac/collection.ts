import type { Publication } from '@cubemark/format';
import type { SourceAccess } from '../sources.js';
import { DATACUBE_EXTENSION, STAC_VERSION, publicationStacItem, type StacItem, type StacOptions } from './export.js';

/** A STAC Collection (the fields cubemark writes). */
export interface StacCollection {
  type: 'Collection';
  stac_version: string;
  stac_extensions: string[];
  id: string;
  title?: string;
  description: string;
  license: string;
  extent: { spatial: { bbox: number[][] }; temporal: { interval: (string | null)[][] } };
  'cube:dimensions': StacItem['properties']['cube:dimensions'];
  'cube:variables': StacItem['properties']['cube:variables'];
  links: StacItem['links'];
}

/** A static catalogue: file name → document (`collection.json` and one Item file per cube). */
export type StacFiles = Record<string, StacCollection | StacItem>;

/**
 * A multi-cube run as a STAC Collection with one Item per cube, linked as a static catalogue
 * (`collection.json`, `<item id>.json`): each Item as `publicationStacItem` makes it for that cube alone; the
 * Collection's extent and datacube fields are their union. The licence is the publication's provenance `license`,
 * else `proprietary` (STAC 1.0's word for "not an SPDX licence").
 */
export async function publicationStacCollection(publication: Publication, access: SourceAccess, options: StacOptions = {}): Promise<StacFiles> {
  // The run's time, for cubes without a time of their own.
  const whole = await publicationStacItem(publication, access, options);
  const { datetime, start_datetime, end_datetime } = whole.properties;
  const defaultTime = { datetime, ...(start_datetime && { start_datetime }), ...(end_datetime && { end_datetime }) };
  const items: StacItem[] = [];
  for (const [index, cube] of publication.cubes.entries()) {
    const id = `${publication.name}-${index}-${cube.var_name ?? cube.standard_name ?? 'cube'}`.replace(/[^A-Za-z0-9._-]/g, '_');
    const item = await publicationStacItem({ ...publication, cubes: [cube] }, access, {
      ...options,
      defaultTime,
      collection: publication.name,
      links: [
        { rel: 'collection', href: './collection.json', type: 'application/json' },
        { rel: 'parent', href: './collection.json', type: 'application/json' },
        ...(options.links ?? []),
      ],
    });
    items.push({ ...item, id });
  }
  const boxes = items.flatMap((i) => (i.bbox ? [i.bbox] : []));
  const bbox = boxes.length
    ? [Math.min(...boxes.map((b) => b[0])), Math.min(...boxes.map((b) => b[1])), Math.max(...boxes.map((b) => b[2])), Math.max(...boxes.map((b) => b[3]))]
    : [-180, -90, 180, 90];
  const times = items.flatMap((i) => [i.properties.start_datetime ?? i.properties.datetime, i.properties.end_datetime ?? i.properties.datetime]).filter((t): t is string => typeof t === 'string').sort();
  const collection: StacCollection = {
    type: 'Collection',
    stac_version: STAC_VERSION,
    stac_extensions: [DATACUBE_EXTENSION],
    id: publication.name,
    ...(publication.title && { title: publication.title }),
    description: publication.title ?? `The cubes of the cubemark publication ${publication.name}`,
    license: publication.provenance.license ?? 'proprietary',
    extent: { spatial: { bbox: [bbox] }, temporal: { interval: [[times[0] ?? null, times[times.length - 1] ?? null]] } },
    'cube:dimensions': Object.assign({}, ...items.map((i) => i.properties['cube:dimensions'])),
    'cube:variables': Object.assign({}, ...items.map((i) => i.properties['cube:variables'])),
    links: [
      { rel: 'self', href: './collection.json', type: 'application/json' },
      ...items.map((i) => ({ rel: 'item', href: `./${i.id}.json`, type: 'application/geo+json' })),
    ],
  };
  return { 'collection.json': collection, ...Object.fromEntries(items.map((i) => [`${i.id}.json`, i])) };
}
