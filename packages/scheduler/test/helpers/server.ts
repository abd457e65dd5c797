import { TEST_SOURCES } from './publications.js';
import { createScheduler, createServer, type HttpOptions, type Logger, type SchedulerOptions, type SchedulerServer } from '../../src/index.js';

export const quiet: Logger = { info() {}, warn() {}, error() {} };

export interface Running {
  server: SchedulerServer;
  url: string;
  /** fetch relative to the server, with the token when `auth` is true (the default for writes is the caller's choice). */
  call(path: string, init?: RequestInit & { auth?: boolean | string }): Promise<Response>;
  close(): Promise<void>;
}

/** A scheduler behind a real HTTP server on 127.0.0.1 and a free port. */
export async function startServer(options: SchedulerOptions & HttpOptions = {}): Promise<Running> {
  const scheduler = createScheduler({ log: quiet, sourcePolicy: TEST_SOURCES, ...options });
  const server = await createServer(scheduler, options);
  const url = await server.listen({ port: 0, host: '127.0.0.1' });
  return {
    server,
    url,
    call(path, init = {}) {
      const { auth, ...rest } = init;
      const headers = new Headers(rest.headers);
      if (auth) headers.set('authorization', `Bearer ${auth === true ? options.token : auth}`);
      return fetch(url + path, { ...rest, headers });
    },
    async close() {
      await server.close();
    },
  };
}

/** The body of an error answer, checked for the `{code, message}` shape. */
export async function errorOf(response: Response): Promise<{ code: string; message: string; details?: Record<string, unknown> }> {
  const body = (await response.json()) as { code: string; message: string; details?: Record<string, unknown> };
  if (typeof body.code !== 'string' || typeof body.message !== 'string') throw new Error(`not an error body: ${JSON.stringify(body)}`);
  return body;
}
