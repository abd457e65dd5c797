import { CubemarkError } from '@cubemark/format';

/** A registered plugin's module failed to load, or did not export a plugin. */
export class PluginLoadError extends CubemarkError {
  readonly plugin: string;
  constructor(plugin: string, message: string, options?: { cause?: unknown }) {
    super(
      'PLUGIN_LOAD_FAILED',
      `data-source plugin '${plugin}' could not be loaded: ${message}; the plugin may be missing from this build`,
      options,
    );
    this.plugin = plugin;
  }
}

/** No registered plugin recognised an object's first bytes or its URI. */
export class FormatNotDetectedError extends CubemarkError {
  readonly uri: string;
  constructor(uri: string, tried: readonly string[], head: Uint8Array) {
    const hex = Array.from(head.subarray(0, 8), (b) => b.toString(16).padStart(2, '0')).join(' ');
    super(
      'FORMAT_NOT_DETECTED',
      `${uri}: no data-source plugin recognises this object (tried ${tried.join(', ') || 'none'}; first bytes ${hex || '(empty)'}); name the format explicitly or register a plugin for it`,
    );
    this.uri = uri;
  }
}
