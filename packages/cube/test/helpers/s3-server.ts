/**
 * A real S3 server for tests: s3rver 3.7.1 in a separate Node process on 127.0.0.1, on a free port, storing into
 * a fresh temporary directory, with one bucket created.
 *
 * ```ts
 * const s3 = await startS3Server();            // bucket 'cubemark-test'
 * const restoreEnv = s3.applyEnv();            // endpoint + S3RVER/S3RVER credentials for the SDK default chain
 * await s3.put('data/units.nc', '/work/shared/data/iris-test-data/NetCDF/testing/units.nc');
 * const src = openByteSource(s3.uri('data/units.nc'));
 * ...
 * restoreEnv();
 * await s3.stop();                             // kills the process, removes the directory
 * ```
 *
 * `env` holds what a client needs (`CUBEMARK_S3_ENDPOINT`, `AWS_ACCESS_KEY_ID`/`AWS_SECRET_ACCESS_KEY` =
 * `S3RVER`, `AWS_REGION`); pass it to a child process, or `applyEnv()` it in this one.
 *
 * s3rver gotchas: suffix ranges (`bytes=-N`) are answered wrongly; paginated ListObjectsV2 needs
 * `node --openssl-legacy-provider` (used here); bucket names need at least 3 characters; it does not verify SigV4
 * signatures, only that the access key id is `S3RVER` (another one gets 403 InvalidAccessKeyId).
 * The server process also exits by itself when the test process dies (it watches its stdin).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface S3ServerOptions {
  /** Bucket to create, at least 3 characters (default: `cubemark-test`). */
  bucket?: string;
}

export interface S3TestServer {
  /** `http://127.0.0.1:<port>` */
  readonly endpoint: string;
  readonly bucket: string;
  /** Environment for the SDK default chain and `openByteSource`. */
  readonly env: Record<string, string>;
  /** `s3://<bucket>/<key>` */
  uri(key: string): string;
  /** Store an object from bytes, or from a local file when given a path. */
  put(key: string, content: Uint8Array | string): Promise<void>;
  /** Set `env` in `process.env`; returns a function that restores the previous values. */
  applyEnv(): () => void;
  stop(): Promise<void>;
}

const CHILD_SCRIPT = `
const S3rver = require(process.env.S3RVER_MODULE);
const server = new S3rver({
  address: '127.0.0.1',
  port: 0,
  silent: true,
  directory: process.env.S3RVER_DIR,
  configureBuckets: [{ name: process.env.S3RVER_BUCKET }],
});
server.run().then(
  (address) => process.stdout.write(JSON.stringify(address) + '\\n'),
  (error) => { console.error(error); process.exit(1); },
);
process.stdin.on('end', () => process.exit(0));
process.stdin.resume();
`;

export async function startS3Server(options: S3ServerOptions = {}): Promise<S3TestServer> {
  const bucket = options.bucket ?? 'cubemark-test';
  if (bucket.length < 3) throw new Error(`s3rver needs bucket names of at least 3 characters, got '${bucket}'`);
  const directory = await mkdtemp(join(tmpdir(), 'cubemark-s3rver-'));
  const require = createRequire(import.meta.url);
  const child = spawn(process.execPath, ['--openssl-legacy-provider', '-e', CHILD_SCRIPT], {
    env: {
      PATH: process.env.PATH ?? '',
      S3RVER_MODULE: require.resolve('s3rver'),
      S3RVER_DIR: directory,
      S3RVER_BUCKET: bucket,
    },
    stdio: ['pipe', 'pipe', 'pipe'],
  });

  let port: number;
  try {
    port = await readPort(child);
  } catch (error) {
    await kill(child);
    await rm(directory, { recursive: true, force: true });
    throw error;
  }

  const endpoint = `http://127.0.0.1:${port}`;
  const env = {
    CUBEMARK_S3_ENDPOINT: endpoint,
    AWS_ACCESS_KEY_ID: 'S3RVER',
    AWS_SECRET_ACCESS_KEY: 'S3RVER',
    AWS_REGION: 'us-east-1',
  };
  type Client = import('@aws-sdk/client-s3').S3Client;
  let client: Promise<{ sdk: typeof import('@aws-sdk/client-s3'); client: Client }> | undefined;
  const getClient = () =>
    (client ??= import('@aws-sdk/client-s3').then((sdk) => {
      // Silence the SDK's Node-version warning without leaving the variable set for the code under test.
      const quiet = 'AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED';
      const before = process.env[quiet];
      process.env[quiet] = 'true';
      try {
        return {
          sdk,
          client: new sdk.S3Client({
            endpoint,
            region: 'us-east-1',
            forcePathStyle: true,
            credentials: { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' },
          }),
        };
      } finally {
        if (before === undefined) delete process.env[quiet];
        else process.env[quiet] = before;
      }
    }));

  let stopped = false;
  return {
    endpoint,
    bucket,
    env,
    uri: (key) => `s3://${bucket}/${key}`,
    async put(key, content) {
      const body = typeof content === 'string' ? await readFile(content) : content;
      const { sdk, client: c } = await getClient();
      await c.send(new sdk.PutObjectCommand({ Bucket: bucket, Key: key, Body: body }));
    },
    applyEnv() {
      const before = Object.fromEntries(Object.keys(env).map((k) => [k, process.env[k]]));
      Object.assign(process.env, env);
      return () => {
        for (const [k, v] of Object.entries(before)) {
          if (v === undefined) delete process.env[k];
          else process.env[k] = v;
        }
      };
    },
    async stop() {
      if (stopped) return;
      stopped = true;
      if (client) (await client).client.destroy();
      await kill(child);
      await rm(directory, { recursive: true, force: true });
    },
  };
}

function readPort(child: ChildProcess): Promise<number> {
  return new Promise((resolve, reject) => {
    let out = '';
    let err = '';
    const timer = setTimeout(() => fail(new Error(`s3rver did not start within 20 s: ${err}`)), 20_000);
    const fail = (error: Error) => {
      clearTimeout(timer);
      reject(error);
    };
    child.stderr?.on('data', (chunk: Buffer) => {
      err += chunk.toString();
    });
    child.stdout?.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      const line = out.split('\n')[0];
      if (out.includes('\n')) {
        clearTimeout(timer);
        try {
          resolve((JSON.parse(line) as { port: number }).port);
        } catch {
          reject(new Error(`s3rver printed something unexpected: ${line}`));
        }
      }
    });
    child.once('exit', (code) => fail(new Error(`s3rver exited with ${code} before listening: ${err}`)));
  });
}

async function kill(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
  await exited;
  clearTimeout(timer);
}
