import { Command } from 'commander';
import { resolveOptions, type CommandLineFlags } from './config/resolve-options.js';
import { startServer } from './server/start-server.js';
import { VERSION } from './version.js';
import { announceServerStarted } from './launcher/started-event.js';

/** How long a server that `goosed acp` starts waits without work before it stops. */
const ACP_SERVER_IDLE_EXIT_SECONDS = 600;

const program = new Command()
  .name('goosed')
  .description('The goosed agent server')
  .version(VERSION)
  .option('--host <host>', 'address to listen on (env GOOSED_HOST)', undefined)
  .option('--port <port>', 'port to listen on, 0 for a free one (env GOOSED_PORT)')
  .option('--log-level <level>', 'trace, debug, info, warn, error, fatal or silent (env GOOSED_LOG_LEVEL)')
  .option('--data-dir <dir>', 'where the database lives (env GOOSED_DATA_DIR)')
  .option('--config <file>', 'settings file (env GOOSED_CONFIG)')
  .option('--database-url <url>', 'postgres://… to keep everything in PostgreSQL instead of SQLite (env GOOSED_DATABASE_URL)')
  .option('--secret-key <key>', 'require this key on every request but /api/status (env GOOSED_SECRET_KEY)')
  .option('--idle-exit <seconds>', 'stop after this long without requests, followers or running replies; 0 never (env GOOSED_IDLE_EXIT)')
  .showSuggestionAfterError(false)
  .configureOutput({ outputError: (text, write) => write(`goosed: ${text.replace(/^error: /, '').trim()}\n`) })
  .action(() => serve(program.opts<CommandLineFlags>()));

program
  .command('acp')
  .description('Serve the Agent Client Protocol on stdin/stdout, for editors (through the goosed of the data directory)')
  .option('--log-level <level>', 'of the lines on stderr (env GOOSED_LOG_LEVEL)')
  .option('--data-dir <dir>', 'the data directory whose goosed to use (env GOOSED_DATA_DIR)')
  .option('--config <file>', 'settings file (env GOOSED_CONFIG)')
  .option('--idle-exit <seconds>', `a goosed started for editors stops after this long without work; 0 never (default ${ACP_SERVER_IDLE_EXIT_SECONDS})`)
  .action(async (_options, command: Command) => {
    const options = resolveOptions(command.optsWithGlobals<CommandLineFlags>(), process.env, { idleExitSeconds: ACP_SERVER_IDLE_EXIT_SECONDS });
    // Loaded only here: the ACP SDK is not part of a server's start-up.
    const { runAcp } = await import('./acp/run-acp.js');
    await runAcp(options);
  });

async function serve(flags: CommandLineFlags): Promise<void> {
  const options = resolveOptions(flags);
  const server = await startServer(options);
  // Before the URL is printed: whoever reads it may signal at once, and a signal that comes before
  // its handler ends the process without shutting down.
  let stopping = false;
  const stop = (reason: string) => {
    if (stopping) return;
    stopping = true;
    server.context.logger.info({ reason }, 'shutting down');
    server.close().then(
      () => process.exit(0),
      (error: unknown) => {
        process.stderr.write(`goosed: error while shutting down: ${(error as Error).message}\n`);
        process.exit(1);
      },
    );
  };
  process.on('SIGINT', () => stop('SIGINT'));
  process.on('SIGTERM', () => stop('SIGTERM'));
  void server.idle.then(() => stop('idle'));
  // One write, so that whoever reads the first line also has the key lines.
  let banner = `goosed listening on ${server.url}\n`;
  if (server.keyWasGenerated) {
    banner +=
      `goosed is reachable from other machines, so it requires a key, generated for this run:\n` +
      `  ${server.secretKey}\n` +
      `send it as "Authorization: Bearer <key>", or open ${server.url}/?key=${server.secretKey}\n`;
  }
  process.stdout.write(banner);
  announceServerStarted();
}

program.parseAsync().catch((error: unknown) => {
  process.stderr.write(`goosed: ${(error as Error).message}\n`);
  process.exit(1);
});
