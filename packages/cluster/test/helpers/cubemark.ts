/** The `cubemark` command from source, for child processes: `node --conditions=source --import tsx cubemark.ts ARGS`. */
import { main } from '../../../cli/src/main.js';

process.exitCode = await main(process.argv.slice(2));
