export type * from './model/types.js';
export { FACTORY_TERMS, FORMAT_VERSION } from './model/types.js';
export { CubemarkError } from './errors/base.js';
