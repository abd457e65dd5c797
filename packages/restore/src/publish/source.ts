import { parse, publicationIndex, type Publication, type PublicationDocument, type PublicationIndex, type PublicationSource } from '@cubemark/format';
import { RestoreError } from '../errors.js';
import { unpack, type CheckedFile } from '../parse/check.js';

/**
 * A valid checked file as the scheduler holds it: its index and packed bytes, the model parsed from them whenever
 * a request needs it (a model the check kept is handed over the first time). `undefined` for an invalid file.
 */
export function storedSource(file: string, checked: CheckedFile, size: number, recordedIndex?: PublicationIndex): PublicationSource | undefined {
  const { packed } = checked;
  const index = checked.unchanged ? recordedIndex : checked.index;
  if (!index || !packed) return undefined;
  let kept: PublicationDocument | undefined = checked.publication && { publication: checked.publication, body: checked.body };
  return {
    index,
    bytes: size,
    load() {
      if (kept) {
        const first = kept;
        kept = undefined;
        return first;
      }
      const result = parse(unpack(packed), { file });
      if (!result.publication) {
        throw new RestoreError('PARSE_FAILED', `${file} no longer parses as it did when it was restored: ${result.errors.map((e) => e.message).join('; ')}`);
      }
      return { publication: result.publication, body: result.body };
    },
  };
}

/** A publication a client published, as `Known` holds it (the scheduler holds the same model). */
export function modelSource(publication: Publication, body: string | undefined): PublicationSource {
  const loaded: PublicationDocument = { publication, ...(body !== undefined && { body }) };
  return { index: publicationIndex(publication), bytes: 0, load: () => loaded };
}
