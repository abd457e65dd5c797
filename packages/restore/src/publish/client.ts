import { parse, serialize } from '@cubemark/format';
import type { PublishEvent, UnpublishEvent } from '@cubemark/scheduler';
import type { RestoreContext } from '../context.js';
import { sha256 } from '../parse/check.js';
import { modelSource } from './source.js';

/**
 * The `publish` hook: a client's publish (or a rollback) is written to the store, durably, before it is
 * acknowledged. Restored and reloaded publications came from the store: their file is already there.
 */
export async function writePublished(ctx: RestoreContext, event: PublishEvent): Promise<void> {
  if (event.origin !== 'client' && !event.rollback) return;
  const { name, publication } = event;
  await ctx.writes.run(name, async () => {
    let body = event.body;
    if (body === undefined) {
      // Keep the prose the file already has: a client that sends only metadata must not erase it.
      const existing = await ctx.store.read(name);
      if (existing) body = parse(existing).body || undefined;
    }
    const text = serialize(publication, { body });
    await ctx.store.write(name, text, { signal: event.signal });
    const written = sha256(Buffer.from(text));
    const source = modelSource(publication, body);
    ctx.known.set(name, { hash: written, source });
    ctx.indexFile.set(name, written, source.index);
    ctx.wrote(name);
  });
}

/** The `unpublish` hook: the file moves to the store's trash (or is forgotten, for a rollback). */
export async function removePublished(ctx: RestoreContext, event: UnpublishEvent): Promise<void> {
  const { name } = event;
  await ctx.writes.run(name, async () => {
    ctx.known.delete(name);
    ctx.indexFile.delete(name);
    ctx.wrote(name);
    if (event.rollback) {
      // A publish that was never acknowledged: forget it entirely, unless the file was the store's own.
      if (event.origin === 'client') await ctx.store.delete(name);
    } else if (event.origin !== 'reload') {
      // A reload unpublishes because the file is already gone; anything else moves it to the trash.
      await ctx.store.trash(name);
    }
    await ctx.state?.set(name, false);
  });
}
