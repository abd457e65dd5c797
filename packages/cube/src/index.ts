export type * from './bytes/types.js';
export type * from './dataset/types.js';
