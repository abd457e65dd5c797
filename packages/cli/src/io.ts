/** Where the commands write: injectable so tests can run `main` in-process and read what it printed. */
export interface Io {
  out(text: string): void;
  err(text: string): void;
  /** Colours and progress bars only on a terminal. */
  isTty: boolean;
}

export const processIo: Io = {
  out: (t) => process.stdout.write(t),
  err: (t) => process.stderr.write(t),
  isTty: Boolean(process.stdout.isTTY),
};

/**
 * After a graceful stop on a signal, the process ends within `graceMs` even if a connection a library opened
 * (BullMQ duplicates Redis clients) would keep it alive; the timer does not hold an idle process back.
 */
export function exitAfterStop(code: number, graceMs = 2_000): void {
  setTimeout(() => process.exit(code), graceMs).unref();
}
