import type { RefObject } from 'preact';
import { useEffect, useLayoutEffect, useState } from 'preact/hooks';

/** What a view shows while it loads something: the value, the error, or that it is still loading. */
export type Loadable<T> = { state: 'loading' } | { state: 'error'; error: Error } | { state: 'ready'; value: T };

/**
 * Run `load` whenever `deps` change, aborting the previous run: its answer, if it ever comes, is ignored and
 * its request cancelled, so a slow old answer can never overwrite a newer one.
 */
export function useLoad<T>(load: (signal: AbortSignal) => Promise<T>, deps: readonly unknown[]): Loadable<T> {
  const [result, setResult] = useState<Loadable<T>>({ state: 'loading' });
  useEffect(() => {
    const controller = new AbortController();
    setResult({ state: 'loading' });
    load(controller.signal).then(
      (value) => controller.signal.aborted || setResult({ state: 'ready', value }),
      (error: unknown) => controller.signal.aborted || setResult({ state: 'error', error: error instanceof Error ? error : new Error(String(error)) }),
    );
    return () => controller.abort();
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, deps);
  return result;
}

/** The width of the element `ref` holds, in whole CSS pixels and at least `min`, followed as it resizes (`initial` until then). */
export function useElementWidth(ref: RefObject<HTMLElement | null>, min: number, initial: number): number {
  const [width, setWidth] = useState(initial);
  useEffect(() => {
    const element = ref.current;
    if (!element) return;
    const observer = new ResizeObserver(() => setWidth(Math.max(min, Math.floor(element.clientWidth))));
    observer.observe(element);
    return () => observer.disconnect();
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, []);
  return width;
}

/**
 * The width of the element `ref` holds, in whole CSS pixels, measured before the first paint (so a figure draws
 * at once at its size) and followed as it resizes; 0 until mounted.
 */
export function useLayoutWidth(ref: RefObject<HTMLElement | null>): number {
  const [width, setWidth] = useState(0);
  useLayoutEffect(() => {
    const element = ref.current;
    if (!element) return;
    const observer = new ResizeObserver(() => setWidth(Math.floor(element.clientWidth)));
    observer.observe(element);
    setWidth(Math.floor(element.clientWidth));
    return () => observer.disconnect();
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, []);
  return width;
}
