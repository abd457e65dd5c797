import { writeFileSync } from 'node:fs';
import { createSourcePool, loadPublication } from '@cubemark/cube';
import { exportPublication } from '@cubemark/interop';
const [target, out, ...paths] = process.argv.slice(2);
const pool = createSourcePool();
const { publication } = await loadPublication(paths, { pool });
writeFileSync(out, (await exportPublication(publication, target, { pool })).text);
await pool.close();
