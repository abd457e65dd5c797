export type * from './types.js';
export {
  PluginRegistry,
  createPluginRegistry,
  defaultRegistry,
  detectFormat,
  getPlugin,
  registerPlugin,
  type PluginLoader,
  type PluginRegistration,
} from './registry.js';
export { builtinPlugins, type BuiltinPlugin } from './builtin.js';
export { inlinePlugin } from './inline/plugin.js';
export { FormatNotDetectedError, PluginLoadError } from './errors.js';
export { PpError, type PpErrorCode, type PpErrorPlace } from './pp/errors.js';
