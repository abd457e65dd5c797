export { Cube, type CubeContext, type CubeInit, type CubeParts, type CoordEntry, type Spanning } from './cube.js';
