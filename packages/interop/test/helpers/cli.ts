// The `cubemark` command from source, for Python tests that run it (CUBEMARK_CLI="node --conditions=source --import tsx <this file>").
import { main } from '../../../cli/src/main.js';

process.exitCode = await main(process.argv.slice(2));
