import { cac } from 'cac';
import { diffCommand } from './commands/diff.js';
import { fmtCommand } from './commands/fmt.js';
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
  cli.command('show <path>', 'Print the Iris-style summary of each cube').action((path: string) => {
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
  return result;
}
