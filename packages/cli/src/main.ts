import { cac } from 'cac';
import { diffCommand } from './commands/diff.js';
import { fmtCommand } from './commands/fmt.js';
import { importCommand } from './commands/import.js';
import { showCommand } from './commands/show.js';
import { validateCommand } from './commands/validate.js';
import { processIo, type Io } from './io.js';

const VERSION = '0.1.0';

/** Runs the `cubemark` command line; resolves to the exit code. */
export async function main(argv: string[], io: Io = processIo): Promise<number> {
  const cli = cac('cubemark');
  let result: Promise<number> = Promise.resolve(0);

  cli
    .command('validate [...paths]', 'Check .cube.md files (or folders of them); errors as path:line:col CODE message')
    .option('--json', 'Machine-readable output')
    .action((paths: string[], o: { json?: boolean }) => {
      result = validateCommand(paths.length ? paths : ['.'], o, io);
    });
  cli
    .command('fmt [...paths]', 'Rewrite files in canonical form, keeping prose')
    .option('--check', 'Only report files that would change; exit 1 if any')
    .action((paths: string[], o: { check?: boolean }) => {
      result = fmtCommand(paths.length ? paths : ['.'], o, io);
    });
  cli
    .command('import [...sources]', 'Describe data files (NetCDF, HDF5, Zarr; local, s3://, https://) as a publication')
    .option('--name <name>', 'Publication name (default: from the first source)')
    .option('--title <title>', 'Publication title')
    .option('-o, --output <file>', 'Write to a file instead of stdout')
    .option('--base <dir>', "The store's data base: sources under it are written relative to it")
    .action((sources: string[], o: { name?: string; title?: string; output?: string; base?: string }) => {
      result = importCommand(sources, o, io);
    });
  cli.command('show <path>', 'Print the Iris-style summary of each cube (of a .cube.md file or a data file)').action((path: string) => {
    result = showCommand(path, io);
  });
  cli
    .command('diff [...files]', 'Semantic diff of two publications (also a git diff driver)')
    .allowUnknownOptions()
    .action((files: string[]) => {
      result = diffCommand(files, io);
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
