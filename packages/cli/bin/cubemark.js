#!/usr/bin/env node
// The compiled CLI (run `npm run build` or the README's set-up first).
import { main } from '../dist/main.js';

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (error) => {
    process.stderr.write(`cubemark: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exitCode = 2;
  },
);
