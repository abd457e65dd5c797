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
export { builtinPlugins, moduleLoader, type BuiltinPlugin } from './builtin.js';
export { inlinePlugin } from './inline.js';
export { sniffHdf5 } from './sniff.js';
export { FormatNotDetectedError, PluginLoadError } from './errors.js';
