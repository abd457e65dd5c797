import type { PublicationSource } from '@cubemark/format';
import type { RestoreContext } from '../context.js';
import { errorMessage } from '../errors.js';
import type { CheckedFile } from '../parse/check.js';
import { quarantineText, type QuarantinedFile, type StalePublication } from '../restore/report.js';

/** What publishing one checked file gave, for the restore's or the reload's report. */
export interface Outcome {
  cubes: number;
  stale?: StalePublication;
  warnings: string[];
}

/**
 * Publish a checked file (restore and reload) as its source. Its data sources are checked first, for at most
 * `waitMs`; a verdict that comes later and says stale publishes the same source again as `stale`.
 */
export async function publishChecked(
  ctx: RestoreContext,
  name: string,
  source: PublicationSource,
  origin: 'restore' | 'reload',
  published?: () => void,
  waitMs = ctx.graceMs,
): Promise<Outcome> {
  const findings = ctx.sourceChecker().check(source.index, ctx.signal);
  let early: Awaited<typeof findings> | undefined;
  if (waitMs > 0) {
    let timer: NodeJS.Timeout | undefined;
    const grace = new Promise<undefined>((resolve) => (timer = setTimeout(resolve, waitMs, undefined)));
    early = await Promise.race([findings, grace]);
    clearTimeout(timer);
  }
  const warnings = early ? [...early.stale, ...early.unchecked] : [];
  const stale = early !== undefined && early.stale.length > 0;
  // Always with `replace`: a restored name is announced with `expect`, which the scheduler treats as taken, and
  // a reloaded one is running.
  await ctx.scheduler.publish(name, source, { origin, replace: true, state: stale ? 'stale' : 'ready', warnings });
  published?.();
  const outcome: Outcome = { cubes: source.index.cubes.length, warnings: early?.unchecked.map((w) => `${name}: ${w}`) ?? [] };
  if (stale && early) outcome.stale = { name, reasons: early.stale };
  if (early) return outcome;
  // Late verdict: publish again only if it changes something, and only if nothing replaced it meanwhile.
  const late = await findings;
  outcome.warnings.push(...late.unchecked.map((w) => `${name}: ${w}`));
  if (late.stale.length > 0 && ctx.known.get(name)?.source === source) {
    await ctx.scheduler.publish(name, source, {
      origin,
      replace: true,
      state: 'stale',
      warnings: [...late.stale, ...late.unchecked],
    });
    outcome.stale = { name, reasons: late.stale };
  }
  return outcome;
}

/** Move a bad file aside with its problems, never letting a failure to do so stop the others. */
export async function quarantine(
  ctx: RestoreContext,
  name: string,
  bytes: Uint8Array,
  checked: CheckedFile,
  removeOriginal: boolean,
): Promise<QuarantinedFile> {
  const file = ctx.store.describe(name);
  const record: QuarantinedFile = { name, file, problems: checked.problems };
  try {
    record.copy = await ctx.store.quarantine(name, bytes, quarantineText(file, checked.problems), { removeOriginal });
  } catch (error) {
    ctx.log.error(`restore: could not quarantine ${file}: ${errorMessage(error)}`);
  }
  return record;
}
