import { afterAll, beforeAll } from 'vitest';
import { startS3Server, type S3TestServer } from './s3-server.js';

/**
 * An s3rver for the tests of one file (or `describe`), its endpoint and credentials in this process's environment
 * (the SDK's default chain, as in production): started before them and handed to `setup` (to upload objects), its
 * environment restored and the server stopped after.
 */
export function s3ServerForTests(setup: (s3: S3TestServer) => void | Promise<void>): void {
  let s3: S3TestServer | undefined;
  let restoreEnv: (() => void) | undefined;
  beforeAll(async () => {
    s3 = await startS3Server();
    restoreEnv = s3.applyEnv();
    await setup(s3);
  });
  afterAll(async () => {
    restoreEnv?.();
    await s3?.stop();
  });
}
