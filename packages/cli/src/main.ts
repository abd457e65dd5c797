import { cac } from 'cac';
import { rawOption, rawOptions } from './commands/remote.js';
import type { ServeOptions } from './commands/serve.js';
import { processIo, type Io } from './io.js';

const VERSION = '0.1.0';

/** Runs the `cubemark` command line; resolves to the exit code. */
export async function main(argv: string[], io: Io = processIo): Promise<number> {
  const cli = cac('cubemark');
  let result: Promise<number> = Promise.resolve(0);
  // Each command's module is loaded only when it runs: `validate` need not load an HTTP server and an S3 client.

  cli
    .command('validate [...paths]', 'Check .cube.md files (or folders of them); errors as path:line:col CODE message')
    .option('--json', 'Machine-readable output')
    .action((paths: string[], o: { json?: boolean }) => {
      result = import('./commands/validate.js').then((m) => m.validateCommand(paths.length ? paths : ['.'], o, io));
    });
  cli
    .command('fmt [...paths]', 'Rewrite files in canonical form, keeping prose')
    .option('--check', 'Only report files that would change; exit 1 if any')
    .option('--migrate', 'Rewrite files in the newest format version (1.1); without it a file keeps its version')
    .action((paths: string[], o: { check?: boolean; migrate?: boolean }) => {
      result = import('./commands/fmt.js').then((m) => m.fmtCommand(paths.length ? paths : ['.'], o, io));
    });
  cli
    .command('import [...sources]', 'Describe data files (NetCDF, HDF5, Zarr, UM PP and fieldsfiles; local, s3://, https://) as a publication')
    .option('--name <name>', 'Publication name (default: from the first source)')
    .option('--title <title>', 'Publication title')
    .option('-o, --output <file>', 'Write to a file instead of stdout')
    .option('--base <dir>', "The store's data base: sources under it are written relative to it")
    .action((sources: string[], o: { name?: string; title?: string; output?: string; base?: string }) => {
      result = import('./commands/import.js').then((m) => m.importCommand(sources, o, io));
    });
  cli
    .command('export [publication]', 'Export a publication as a kerchunk reference file, a STAC Item, CDL or NcML')
    .option('--to <target>', 'kerchunk, stac, cdl or ncml')
    .option('-o, --output <file>', 'Write to a file instead of stdout')
    .option('--base <dir>', "What relative source URIs resolve against (default: the publication file's folder)")
    .option('--s3-http <endpoint>', 'kerchunk: write s3:// sources as HTTP URLs of this endpoint (path-style)')
    .option('--collection', 'stac: a Collection with one Item per cube, written into the folder given by -o')
    .action((publication: string | undefined, o: { to?: string; output?: string; base?: string; s3Http?: string; collection?: boolean }) => {
      result = import('./commands/export.js').then((m) => m.exportCommand(publication, o, io));
    });
  cli.command('show <path>', 'Print the Iris-style summary of each cube (of a .cube.md file or a data file)').action((path: string) => {
    result = import('./commands/show.js').then((m) => m.showCommand(path, io));
  });
  cli
    .command('diff [...files]', 'Semantic diff of two publications (also a git diff driver)')
    .allowUnknownOptions()
    .action((files: string[]) => {
      result = import('./commands/diff.js').then((m) => m.diffCommand(files, io));
    });

  // Talking to a scheduler. Tokens come from the raw argv: cac would turn a numeric-looking token into a number.
  cli
    .command('serve', 'Serve publications over HTTP, restoring them from (and writing them durably to) a store')
    .option('--store <dir>', 'Where publications are kept (default: ./publications)')
    .option('--port <n>', 'Port (default: 8787; 0 picks a free one)')
    .option('--host <host>', 'Interface (default: 127.0.0.1)')
    .option('--token <token>', 'Bearer token writes need (default: CUBEMARK_TOKEN)')
    .option('--insecure-writes', 'Accept writes without a token (trusted networks only)')
    .option('--read-token <token>', 'Bearer token reads need, once given (default: CUBEMARK_READ_TOKEN; reads open without one)')
    .option('--tokens <file>', 'JSON file of named read/write tokens, re-read when it changes and on SIGHUP')
    .option('--cors <origin>', 'An origin whose pages may call the API; repeatable (default: none)')
    .option('--rate-limit <n>', 'Requests per minute per client (default: 6000; 0: no limit)')
    .option('--trust-proxy <address>', "A proxy (address or CIDR) whose X-Forwarded-For names the client, for rate limits (repeatable)")
    .option('--data-base <dir>', 'What relative source URIs resolve against (default: the store)')
    .option('--data-root <dir>', 'A directory sources may be read under, symlinks resolved; repeatable (default: the data base)')
    .option('--allow-url <prefix>', 'A URL prefix (https://host/path/, s3://bucket/prefix/) sources may be read under; repeatable (default: none)')
    .option('--budget <bytes>', 'Memory budget for persisted data (default: 512 MiB)')
    .option('--watch', 'Reload files edited in a local store by hand (or by git pull) as they change')
    .option('--no-index', "Parse every store file at start: don't use or keep the store's index (.cubemark/index.json.br)")
    .option('--redis <url>', 'Be one replica of a cluster sharing publications through Redis (redis://host:port, unix:///path)')
    .option('--redis-prefix <prefix>', "Prefix of the cluster's Redis keys (default: cubemark:)")
    .option('--compute <mode>', 'With --redis: where maps, reductions, large slices are made: auto (workers if any), workers, local')
    .option('--cache-budget <bytes>', 'With --redis: bytes of answers cached in Redis for every replica (default: 256 MiB)')
    .option('--compute-timeout <ms>', 'With --redis: how long a request waits for a worker (default: 60000)')
    .action((o: ServeOptions) => {
      const cluster = { redis: rawOption(argv, '--redis') ?? o.redis, redisPrefix: rawOption(argv, '--redis-prefix') ?? o.redisPrefix };
      result = import('./commands/serve.js').then((m) => m.serveCommand({ ...o, ...cluster, token: rawOption(argv, '--token'), store: rawOption(argv, '--store') ?? o.store, host: rawOption(argv, '--host') ?? o.host, dataRoots: rawOptions(argv, '--data-root'), allowUrls: rawOptions(argv, '--allow-url'), readToken: rawOption(argv, '--read-token'), tokens: rawOption(argv, '--tokens'), cors: rawOptions(argv, '--cors'), trustProxy: rawOptions(argv, '--trust-proxy') }, io));
    });
  cli
    .command('worker', 'Compute maps, reductions, large slices and unified views for a cluster of replicas (serve --redis)')
    .option('--redis <url>', 'The Redis the replicas use')
    .option('--redis-prefix <prefix>', "Prefix of the cluster's Redis keys (default: cubemark:)")
    .option('--store <dir>', "The replicas' store (relative data sources resolve against it; default: ./publications)")
    .option('--data-base <dir>', 'What relative source URIs resolve against (default: the store), as the replicas')
    .option('--data-root <dir>', 'A folder the worker may read data under, as the replicas (repeatable; default: the data base)')
    .option('--allow-url <prefix>', 'A URL prefix the worker may read, as the replicas (repeatable)')
    .option('--concurrency <n>', 'Jobs at once (default: one per core)')
    .option('--cache-budget <bytes>', 'Bytes of answers cached in Redis (default: 256 MiB)')
    .option('--lock-ms <ms>', "How long a job stays locked without renewal: a killed worker's job is retried after it (default: 30000)")
    .action((o: { redisPrefix?: string; dataBase?: string; concurrency?: string; cacheBudget?: string; lockMs?: string }) => {
      const options = { ...o, redis: rawOption(argv, '--redis'), store: rawOption(argv, '--store'), dataRoots: rawOptions(argv, '--data-root'), allowUrls: rawOptions(argv, '--allow-url'), redisPrefix: rawOption(argv, '--redis-prefix') ?? o.redisPrefix };
      result = import('./commands/cluster.js').then((m) => m.workerCommand(options, io));
    });
  cli
    .command('status', 'Show a cluster: replicas, workers, queued jobs, result cache use')
    .option('--server <url>', 'Server (default: CUBEMARK_SERVER or http://127.0.0.1:8787)')
    .option('--json', 'Machine-readable output')
    .action((o: { server?: string; json?: boolean }) => {
      result = import('./commands/status.js').then((m) => m.statusCommand(o, io));
    });
  cli
    .command('publish <name> [...sources]', 'Publish data sources or a .cube.md file on a running server')
    .option('--server <url>', 'Server (default: CUBEMARK_SERVER or http://127.0.0.1:8787)')
    .option('--token <token>', 'Bearer token (default: CUBEMARK_TOKEN)')
    .option('--replace', 'Replace a publication of the same name')
    .action((name: string, sources: string[], o: { server?: string; replace?: boolean }) => {
      result = import('./commands/publish.js').then((m) => m.publishCommand(String(name), sources.map(String), { server: o.server, token: rawOption(argv, '--token'), replace: o.replace }, io));
    });
  cli
    .command('list', 'List the publications of a running server, one name per line')
    .option('--server <url>', 'Server (default: CUBEMARK_SERVER or http://127.0.0.1:8787)')
    .action((o: { server?: string }) => {
      result = import('./commands/list.js').then((m) => m.listCommand({ server: o.server }, io));
    });
  cli
    .command('unpublish <name>', 'Remove a publication from a running server (and its store)')
    .option('--server <url>', 'Server (default: CUBEMARK_SERVER or http://127.0.0.1:8787)')
    .option('--token <token>', 'Bearer token (default: CUBEMARK_TOKEN)')
    .action((name: string, o: { server?: string }) => {
      result = import('./commands/unpublish.js').then((m) => m.unpublishCommand(String(name), { server: o.server, token: rawOption(argv, '--token') }, io));
    });

  cli
    .command('reload [...names]', "Make a running server re-read its store (files edited by hand are validated first)")
    .option('--server <url>', 'Server (default: CUBEMARK_SERVER or http://127.0.0.1:8787)')
    .option('--token <token>', 'Bearer token (default: CUBEMARK_TOKEN)')
    .action((names: string[], o: { server?: string }) => {
      result = import('./commands/reload.js').then((m) => m.reloadCommand(names.map(String), { server: o.server, token: rawOption(argv, '--token') }, io));
    });

  cli.help();
  cli.version(VERSION);
  try {
    cli.parse(['node', 'cubemark', ...argv], { run: false });
    if (!cli.matchedCommand && !cli.options.help && !cli.options.version) {
      if (argv.length > 0) io.err(`cubemark: unknown command '${argv[0]}'\n`);
      cli.outputHelp();
      return argv.length > 0 ? 2 : 0;
    }
    await cli.runMatchedCommand();
  } catch (e) {
    io.err(`cubemark: ${(e as Error).message}\n`);
    return 2;
  }
  try {
    return await result;
  } catch (e) {
    // A command that failed on its input (a missing file, a bad header) says why, with the error's code.
    const code = (e as { code?: unknown }).code;
    io.err(`cubemark: ${typeof code === 'string' ? `${code} ` : ''}${(e as Error).message}\n`);
    return 1;
  }
}
