/** Limits that keep hostile input from crashing or stalling a reader. */
export interface ParseLimits {
  /** Largest file accepted, in bytes (default: 32 MiB). */
  maxBytes: number;
  /** Deepest nesting of collections (default: 64). */
  maxDepth: number;
}

export const DEFAULT_LIMITS: ParseLimits = { maxBytes: 32 * 1024 * 1024, maxDepth: 64 };

/** Keys that would reach an object's prototype if a consumer copied them naively. */
export const FORBIDDEN_KEYS: ReadonlySet<string> = new Set(['__proto__', 'constructor', 'prototype']);
