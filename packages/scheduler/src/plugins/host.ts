import { PluginError, SchedulerError, messageOf } from '../errors.js';
import type { PublicationContent } from '../publication/content.js';
import type { Logger, PersistEvent, PublishEvent, SchedulerPlugin, StartContext, UnpublishEvent } from './types.js';

/** What replacing put aside: handed back to plugins when a later plugin rejects the replacement. */
export interface Previous {
  content: PublicationContent;
}

/**
 * Gives `event` the properties `index`, `publication` and `body` of `content`: the last two as getters, so the
 * model of a publication held as text is built only if a hook reads it (the restore plugin's own hook, for
 * instance, never does for what it restores).
 */
export function withContent<T extends object>(event: T, content: PublicationContent, fields: 'publication' | 'publish' = 'publish'): T {
  Object.defineProperty(event, 'index', { value: content.index, enumerable: true, configurable: true, writable: true });
  Object.defineProperty(event, 'publication', { get: () => content.load().publication, enumerable: true, configurable: true });
  if (fields === 'publish') Object.defineProperty(event, 'body', { get: () => content.load().body, enumerable: true, configurable: true });
  return event;
}

/**
 * A copy of an event for one plugin (a plugin that changes its event must not change the next plugin's), keeping
 * lazy properties lazy: a spread would read every getter, and so build the model.
 */
function copy<T extends object>(event: T): T {
  return Object.defineProperties({}, Object.getOwnPropertyDescriptors(event)) as T;
}

/**
 * Runs the plugins' hooks in registration order, with the failure rules of plugins/types.ts: a failing `start`
 * aborts, a failing `publish` rolls back, anything else is logged and returned as a warning.
 */
export class PluginHost {
  readonly plugins: readonly SchedulerPlugin[];

  constructor(
    plugins: readonly SchedulerPlugin[],
    private readonly log: Logger,
  ) {
    const seen = new Set<string>();
    for (const p of plugins) {
      if (!p || typeof p.name !== 'string' || p.name === '') {
        throw new SchedulerError('INVALID_CONFIG', 'every plugin needs a non-empty `name`');
      }
      if (seen.has(p.name)) throw new SchedulerError('INVALID_CONFIG', `two plugins are named '${p.name}'; plugin names must be unique`);
      seen.add(p.name);
    }
    this.plugins = [...plugins];
  }

  /**
   * `start` of each plugin in order. If one throws, the plugins already started are stopped (in reverse order)
   * and a PLUGIN_START_FAILED error naming the plugin is thrown.
   */
  async start(contextFor: (plugin: SchedulerPlugin) => StartContext, signal: AbortSignal): Promise<void> {
    const started: SchedulerPlugin[] = [];
    for (const plugin of this.plugins) {
      try {
        await plugin.start?.(contextFor(plugin));
        started.push(plugin);
      } catch (error) {
        this.log.error(`plugin '${plugin.name}' failed to start: ${messageOf(error)}`);
        const warnings = await this.stop(signal, started);
        throw new PluginError('PLUGIN_START_FAILED', plugin.name, 'start', `plugin '${plugin.name}' failed to start: ${messageOf(error)}`, {
          cause: error,
          details: { plugin: plugin.name, ...(warnings.length > 0 && { warnings }) },
        });
      }
    }
  }

  /**
   * `publish` of each plugin in order (but `exclude`, the plugin publishing through its handle). If one throws,
   * the publish is undone in the plugins that already accepted it, in reverse order:
   * - a new name: they get `unpublish` (`rollback: true`, the same origin);
   * - a replacement: they get `publish` of the previous publication (`replacing: true`, `rollback: true`), so what
   *   they stored matches what the scheduler still holds.
   * The plugin that threw gets nothing (it did not accept). Then a PLUGIN_REJECTED error naming it is thrown, with
   * any rollback failures in `details.rollbackWarnings`.
   */
  async publish(event: PublishEvent, options: { exclude?: SchedulerPlugin; previous?: Previous } = {}): Promise<SchedulerPlugin[]> {
    const accepted: SchedulerPlugin[] = [];
    for (const plugin of this.plugins) {
      if (plugin === options.exclude || !plugin.publish) continue;
      try {
        await plugin.publish(copy(event));
        accepted.push(plugin);
      } catch (error) {
        this.log.warn(`plugin '${plugin.name}' rejected the publish of '${event.name}': ${messageOf(error)}`);
        const rollbackWarnings = await this.rollback(accepted, event, options.previous);
        throw new PluginError(
          'PLUGIN_REJECTED',
          plugin.name,
          'publish',
          `plugin '${plugin.name}' rejected the publish of '${event.name}': ${messageOf(error)}; nothing was published`,
          { cause: error, details: { plugin: plugin.name, ...(rollbackWarnings.length > 0 && { rollbackWarnings }) } },
        );
      }
    }
    return accepted;
  }

  /**
   * Undo a publish in the plugins that accepted it (`accepted`, in the order they ran; undone in reverse). Also
   * used when storing the record fails after every plugin accepted. Resolves the failures as warnings.
   */
  async rollback(accepted: readonly SchedulerPlugin[], event: PublishEvent, previous?: Previous): Promise<string[]> {
    return this.undo([...accepted].reverse(), event, previous);
  }

  private async undo(plugins: readonly SchedulerPlugin[], event: PublishEvent, previous?: Previous): Promise<string[]> {
    const warnings: string[] = [];
    for (const plugin of plugins) {
      try {
        if (previous) {
          const back = { name: event.name, replacing: true, origin: event.origin, signal: event.signal, rollback: true } as PublishEvent;
          await plugin.publish?.(withContent(back, previous.content));
        } else {
          // The failed publish's own content, still lazy: a plugin that only forgets the name never builds it.
          const descriptors = Object.getOwnPropertyDescriptors(event);
          const undo = Object.defineProperties(
            { name: event.name, origin: event.origin, signal: event.signal, rollback: true },
            { index: descriptors.index!, publication: descriptors.publication! },
          ) as UnpublishEvent;
          await plugin.unpublish?.(undo);
        }
      } catch (error) {
        const w = `plugin '${plugin.name}' failed to roll back the publish of '${event.name}': ${messageOf(error)}`;
        this.log.error(w);
        warnings.push(w);
      }
    }
    return warnings;
  }

  /** `unpublish` of each plugin in order (but `exclude`); failures are logged and returned as warnings. */
  async unpublish(event: UnpublishEvent, exclude?: SchedulerPlugin): Promise<string[]> {
    return this.each('unpublish', exclude, (p) => p.unpublish?.(copy(event)), `unpublish of '${event.name}'`);
  }

  /** `persist` of each plugin in order; failures are logged and returned as warnings. */
  async persist(event: PersistEvent): Promise<string[]> {
    return this.each('persist', undefined, (p) => p.persist?.({ ...event }), `persist of '${event.name}'`);
  }

  /** `stop` of each plugin (default: all), in reverse order; failures are logged and returned as warnings. */
  async stop(signal: AbortSignal, plugins: readonly SchedulerPlugin[] = this.plugins): Promise<string[]> {
    return this.each('stop', undefined, (p) => p.stop?.({ signal }), 'stop', [...plugins].reverse());
  }

  private async each(
    hook: string,
    exclude: SchedulerPlugin | undefined,
    call: (plugin: SchedulerPlugin) => void | Promise<void>,
    what: string,
    plugins: readonly SchedulerPlugin[] = this.plugins,
  ): Promise<string[]> {
    const warnings: string[] = [];
    for (const plugin of plugins) {
      if (plugin === exclude) continue;
      try {
        await call(plugin);
      } catch (error) {
        const w = `plugin '${plugin.name}' failed in its ${hook} hook (${what}): ${messageOf(error)}`;
        this.log.error(w);
        warnings.push(w);
      }
    }
    return warnings;
  }
}
