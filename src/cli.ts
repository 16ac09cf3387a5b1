import { Command } from 'commander';
import { resolveOptions, type CommandLineFlags } from './config/resolve-options.js';
import { startServer } from './server/start-server.js';
import { VERSION } from './version.js';
import { announceServerStarted } from './launcher/started-event.js';

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
  .showSuggestionAfterError(false)
  .configureOutput({ outputError: (text, write) => write(`goosed: ${text.replace(/^error: /, '').trim()}\n`) });

async function main(): Promise<void> {
  program.parse();
  const flags = program.opts<CommandLineFlags>();
  const options = resolveOptions(flags);
  const server = await startServer(options);
  // Before the URL is printed: whoever reads it may signal at once, and a signal that comes before
  // its handler ends the process without shutting down.
  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    server.context.logger.info({ signal }, 'shutting down');
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

main().catch((error: unknown) => {
  process.stderr.write(`goosed: ${(error as Error).message}\n`);
  process.exit(1);
});
