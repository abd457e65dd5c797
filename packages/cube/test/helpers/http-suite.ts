import { afterAll, beforeAll, beforeEach } from 'vitest';
import { startHttpServer, type HttpServerOptions, type HttpTestServer } from './http-server.js';

/**
 * A test server for the tests of the enclosing `describe`: started before them, its log cleared before each,
 * stopped after them. The object it returns stands for the server once started.
 */
export function httpServerForSuite(rootDir: string, options: HttpServerOptions = {}): HttpTestServer {
  let server: HttpTestServer | undefined;
  beforeAll(async () => {
    server = await startHttpServer(rootDir, options);
  });
  afterAll(() => server?.stop());
  beforeEach(() => server?.reset());
  const started = (): HttpTestServer => {
    if (!server) throw new Error('the test server starts in beforeAll');
    return server;
  };
  return {
    get url() {
      return started().url;
    },
    get requests() {
      return started().requests;
    },
    get inFlight() {
      return started().inFlight;
    },
    get maxInFlight() {
      return started().maxInFlight;
    },
    reset: () => started().reset(),
    stop: () => started().stop(),
  };
}
