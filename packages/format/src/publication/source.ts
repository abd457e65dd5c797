import type { Publication } from '../model/types.js';
import type { PublicationIndex } from './listing.js';

/** A publication's metadata and prose (the Markdown body after the frontmatter), built. */
export interface PublicationDocument {
  publication: Publication;
  body?: string;
}

/**
 * A publication held without its model (what the restore plugin publishes to the scheduler): the model is built by
 * `load` when a request first needs it, and may be dropped again later (the scheduler keeps only recently used
 * models), so `load` must give an equal model every time. `load` is synchronous (a parse) so that a held
 * publication's model can stay a plain property read.
 */
export interface PublicationSource {
  readonly index: PublicationIndex;
  /** Size of the text the model is built from, in bytes: what the scheduler charges its model cache for it. */
  readonly bytes: number;
  load(): PublicationDocument;
}
