import { useEffect, useRef, useState } from 'preact/hooks';
import { fileName } from '../canvas.js';
import { mapSel, type CubeModel, type DimWidget, type Selection } from '../cube-model.js';
import { prefetchSlices, sliceReady } from '../slices.js';

/** Frames per second offered. */
export const SPEEDS = [0.5, 1, 2, 4, 8] as const;
/** Frames fetched ahead of the one shown. */
export const READ_AHEAD = 3;

export interface AnimationState {
  dim: string;
  playing: boolean;
  fps: number;
}

/**
 * Animation over one dimension (time by default): play/pause, step, speed. While playing, the next frames are
 * fetched ahead (held in the slice cache); a frame is shown only once its slice has arrived, so a slow server
 * slows the animation instead of skipping frames. Stopping, or the user moving any widget, lets go of the frames
 * fetched ahead: those still in flight are cancelled.
 */
/** Resolves once the map shows `sel` (its canvas says what it drew last). */
function drawn(sel: string, signal: AbortSignal): Promise<HTMLCanvasElement> {
  return new Promise((resolve, reject) => {
    const check = () => {
      if (signal.aborted) return reject(new DOMException('aborted', 'AbortError'));
      const canvas = document.querySelector<HTMLCanvasElement>('canvas.map');
      if (canvas?.dataset.sel === sel) resolve(canvas);
      else setTimeout(check, 30);
    };
    check();
  });
}

/**
 * Record every frame of the animation from the map canvas as WebM (MediaRecorder on `captureStream`), one frame
 * per step at the chosen speed; undefined where the browser cannot record.
 */
async function recordWebm(frames: string[], step: (k: number) => void, fps: number, signal: AbortSignal): Promise<Blob | undefined> {
  step(0);
  const first = await drawn(frames[0], signal).catch(() => undefined);
  if (!first || typeof MediaRecorder === 'undefined' || !('captureStream' in first)) return undefined;
  const type = ['video/webm;codecs=vp9', 'video/webm;codecs=vp8', 'video/webm'].find((t) => MediaRecorder.isTypeSupported(t));
  if (!type) return undefined;
  const stream = first.captureStream(0);
  const track = stream.getVideoTracks()[0] as MediaStreamTrack & { requestFrame?: () => void };
  const recorder = new MediaRecorder(stream, { mimeType: type });
  const chunks: Blob[] = [];
  recorder.ondataavailable = (e) => e.data.size && chunks.push(e.data);
  const stopped = new Promise<void>((resolve) => (recorder.onstop = () => resolve()));
  recorder.start();
  try {
    for (let k = 0; k < frames.length; k++) {
      if (k > 0) step(k);
      await drawn(frames[k], signal);
      track.requestFrame?.();
      await new Promise((r) => setTimeout(r, 1000 / fps));
    }
  } finally {
    recorder.stop();
    await stopped;
    stream.getTracks().forEach((t) => t.stop());
  }
  return new Blob(chunks, { type: 'video/webm' });
}

export function Animation(props: {
  model: CubeModel;
  base: string;
  selection: Selection;
  state: AnimationState;
  onState(s: AnimationState): void;
  onStep(dim: string, index: number): void;
  /** Names the downloaded video. */
  downloadName?: string;
}) {
  const { model, base, selection, state } = props;
  const [recording, setRecording] = useState<'idle' | 'recording' | 'unsupported'>('idle');
  const widget = model.widgets.find((w) => w.dim === state.dim) ?? model.widgets[0];
  const frameSel = (k: number) => mapSel(model, { ...selection, [widget.dim]: k });
  const current = selection[widget.dim] ?? 0;
  const others = model.widgets.filter((w) => w.dim !== widget.dim).map((w) => selection[w.dim]).join(',');

  // Read ahead: hold the next frames; let go of those no longer ahead, and of all when stopped or moved.
  const held = useRef(new Map<string, AbortController>());
  useEffect(() => {
    const wanted = new Set<string>();
    if (state.playing) for (let k = 1; k <= Math.min(READ_AHEAD, widget.length - 1); k++) wanted.add(frameSel((current + k) % widget.length));
    for (const [sel, controller] of held.current) {
      if (wanted.has(sel)) continue;
      controller.abort();
      held.current.delete(sel);
    }
    for (const sel of wanted) {
      if (held.current.has(sel)) continue;
      const controller = new AbortController();
      held.current.set(sel, controller);
      prefetchSlices(base, [sel], controller.signal);
    }
  }, [state.playing, current, widget.dim, others, base]);
  useEffect(() => () => held.current.forEach((c) => c.abort()), []);
  // A recording in progress stops when the view goes (its frame waits would otherwise poll forever).
  const recordingRef = useRef<AbortController | undefined>(undefined);
  useEffect(() => () => recordingRef.current?.abort(), []);

  // Step when the next frame is ready.
  const tick = useRef<() => void>(() => {});
  tick.current = () => {
    const next = (current + 1) % widget.length;
    if (sliceReady(base, frameSel(next))) props.onStep(widget.dim, next);
  };
  useEffect(() => {
    if (!state.playing) return;
    const timer = setInterval(() => tick.current(), 1000 / state.fps);
    return () => clearInterval(timer);
  }, [state.playing, state.fps]);

  const set = (patch: Partial<AnimationState>) => props.onState({ ...state, ...patch });
  return (
    <fieldset class="widget animation">
      <legend>Animation</legend>
      <div class="widget-row">
        <label for="anim-dim" class="visually-hidden">
          Animate over
        </label>
        <select id="anim-dim" value={widget.dim} onChange={(e) => set({ dim: e.currentTarget.value, playing: false })}>
          {model.widgets
            .filter((w) => w.length > 1)
            .map((w: DimWidget) => (
              <option key={w.dim} value={w.dim}>
                {w.dim}
              </option>
            ))}
        </select>
        <label for="anim-speed" class="visually-hidden">
          Speed
        </label>
        <select id="anim-speed" value={String(state.fps)} onChange={(e) => set({ fps: Number(e.currentTarget.value) })}>
          {SPEEDS.map((s) => (
            <option key={s} value={String(s)}>
              {s} frame{s === 1 ? '' : 's'}/s
            </option>
          ))}
        </select>
      </div>
      <div class="widget-row">
        <button type="button" aria-label={`step back one ${widget.dim}`} disabled={state.playing} onClick={() => props.onStep(widget.dim, (current - 1 + widget.length) % widget.length)}>
          ‹ Step
        </button>
        <button type="button" class="play" aria-pressed={state.playing} disabled={widget.length < 2} onClick={() => set({ playing: !state.playing })}>
          {state.playing ? 'Pause' : 'Play'}
        </button>
        <button type="button" aria-label={`step forward one ${widget.dim}`} disabled={state.playing} onClick={() => props.onStep(widget.dim, (current + 1) % widget.length)}>
          Step ›
        </button>
      </div>
      <button
        type="button"
        disabled={state.playing || recording === 'recording' || widget.length < 2}
        onClick={() => {
          const frames = Array.from({ length: widget.length }, (_, k) => frameSel(k));
          const controller = new AbortController();
          recordingRef.current = controller;
          setRecording('recording');
          const back = current;
          recordWebm(frames, (k) => props.onStep(widget.dim, k), state.fps, controller.signal).then(
            (blob) => {
              props.onStep(widget.dim, back);
              if (!blob) return setRecording('unsupported');
              setRecording('idle');
              const url = URL.createObjectURL(blob);
              const a = document.createElement('a');
              a.href = url;
              a.download = `${fileName(props.downloadName ?? model.cube.name, widget.dim, 'animation')}.webm`;
              document.body.append(a);
              a.click();
              a.remove();
              setTimeout(() => URL.revokeObjectURL(url), 10_000);
            },
            () => setRecording('idle'),
          );
        }}
      >
        {recording === 'recording' ? 'Recording…' : 'Download WebM'}
      </button>
      {recording === 'unsupported' && <p class="muted small">This browser cannot record video from the map.</p>}
      <p class="muted small" aria-live="polite" data-testid="animation-status">
        {state.playing ? `Playing ${widget.dim}: ${current + 1} of ${widget.length}, ${READ_AHEAD} frames read ahead` : `Paused at ${widget.dim} ${current + 1} of ${widget.length}`}
      </p>
    </fieldset>
  );
}
