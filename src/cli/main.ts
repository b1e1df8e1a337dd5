#!/usr/bin/env node
// The `warden` command: picks the subcommand, maps failures to an exit code and one line.
import { ERROR_CODES, WardenError, describeError, isWardenError } from '../errors.js';
import { benchCommand } from './bench.js';
import { evalCommand } from './eval.js';
import { ingestCommand } from './ingest.js';
import { migrateCommand } from './migrate.js';
import { simulateCommand } from './simulate.js';
import { startCommand } from './start.js';
import { trainCommand } from './train.js';

export interface Command {
  summary: string;
  usage: string;
  run(args: string[]): Promise<void>;
}

const COMMANDS: Record<string, Command> = {
  start: startCommand,
  ingest: ingestCommand,
  migrate: migrateCommand,
  bench: benchCommand,
  simulate: simulateCommand,
  train: trainCommand,
  eval: evalCommand,
};

function usage(): string {
  const lines = Object.entries(COMMANDS).map(([name, command]) => `  ${name.padEnd(9)} ${command.summary}`);
  return `usage: warden <command> [options]\n\ncommands:\n${lines.join('\n')}\n\n'warden <command> --help' shows a command's options.`;
}

async function main(argv: string[]): Promise<void> {
  const [name, ...args] = argv;
  if (!name || name === '--help' || name === '-h' || name === 'help') {
    console.log(usage());
    return;
  }
  const command = COMMANDS[name];
  if (!command) throw new WardenError('USAGE', `unknown command "${name}"; try 'warden --help'`);
  if (args.includes('--help') || args.includes('-h')) {
    console.log(`${command.usage}\n\n${command.summary}`);
    return;
  }
  await command.run(args);
}

main(process.argv.slice(2)).catch((error: unknown) => {
  console.error(`warden: ${describeError(error)}`);
  process.exit(isWardenError(error) ? ERROR_CODES[error.code].exitCode || 1 : 1);
});
