/**
 * A publication's state, as the scheduler lists it and the HTTP API and the explorer show it:
 * - `ready`: published, its data sources as recorded;
 * - `stale`: published, but a data source changed (size, mtime or ETag) since it was recorded;
 * - `restoring`: announced (by a plugin restoring it) and not published yet; requests for it wait.
 */
export type PublicationState = 'ready' | 'stale' | 'restoring';

/** Every `PublicationState`, for schemas. */
export const PUBLICATION_STATES: readonly PublicationState[] = ['ready', 'stale', 'restoring'];

/** The states of a publication that is published (held): everything but `restoring`. */
export type HeldState = Exclude<PublicationState, 'restoring'>;

/** Every `HeldState`, for schemas. */
export const HELD_STATES: readonly HeldState[] = ['ready', 'stale'];
