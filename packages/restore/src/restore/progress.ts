import type { Writable } from 'node:stream';

/** A progress display for a restore: drawn on a terminal, silent elsewhere. */
export interface Progress {
  /** One more file done, holding `cubes` cubes (0 for a quarantined file). */
  tick(cubes: number): void;
  stop(): void;
}

const silent: Progress = { tick() {}, stop() {} };

/**
 * A cli-progress bar on `stream` (stderr by default) when it is a terminal, so logs and pipes never get bar
 * frames:
 *
 * ```
 * restoring ████████████████████░░░░ 812/1000  25k cubes/s
 * ```
 *
 * cli-progress is imported only when a bar is drawn.
 */
export async function createProgress(total: number, options: { enabled: boolean | 'auto'; stream?: Writable & { isTTY?: boolean } }): Promise<Progress> {
  const stream = options.stream ?? process.stderr;
  const on = options.enabled === 'auto' ? stream.isTTY === true : options.enabled;
  if (!on || total === 0) return silent;
  const { default: cliProgress } = await import('cli-progress');
  const bar = new cliProgress.SingleBar(
    {
      format: 'restoring {bar} {value}/{total}  {rate} cubes/s',
      stream: stream as NodeJS.WritableStream,
      barsize: 24,
      hideCursor: false,
      // Drawn when asked, not on a timer: a bar must not keep the process alive or draw after the restore.
      noTTYOutput: options.enabled === true,
      fps: 10,
    },
    cliProgress.Presets.shades_classic,
  );
  const started = performance.now();
  let cubes = 0;
  let done = 0;
  bar.start(total, 0, { rate: '0' });
  return {
    tick(n) {
      cubes += n;
      done += 1;
      const seconds = (performance.now() - started) / 1000;
      bar.update(done, { rate: rate(seconds > 0 ? cubes / seconds : 0) });
    },
    stop() {
      bar.stop();
    },
  };
}

function rate(n: number): string {
  return n >= 1000 ? `${(n / 1000).toFixed(1)}k` : n.toFixed(0);
}
