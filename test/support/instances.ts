// Several goosed processes on one PostgreSQL database, as behind a load balancer (docs/deploy.md):
// each its own data directory and port, the database shared.
import { join } from 'node:path';
import { apiClient, temporaryDirectory, type ApiClient, type GoosedProcess } from './goosed.js';
import { spawnBundledGoosed, type GoosedBundle } from './goosed-bundle.js';

export interface Instance extends GoosedProcess, ApiClient {
  name: string;
  /** Stops it as an operator would (SIGTERM), and waits for the process to end. */
  stop(): Promise<void>;
}

export async function startInstance(bundle: GoosedBundle, databaseUrl: string, name: string, env: NodeJS.ProcessEnv = {}): Promise<Instance> {
  const dir = temporaryDirectory(`goosed-${name}-`);
  const args = ['--port', '0', '--data-dir', join(dir, 'data'), '--config', join(dir, 'config.yaml'), '--database-url', databaseUrl];
  const goosed = await spawnBundledGoosed(bundle, args, env);
  return {
    ...goosed,
    ...apiClient(goosed.url),
    name,
    stop: async () => {
      goosed.child.kill('SIGTERM');
      await goosed.exited;
    },
  };
}

/** Stops those still running (a test may have killed some). */
export async function stopAll(instances: readonly (Instance | undefined)[]): Promise<void> {
  await Promise.all(instances.map((instance) => (instance && instance.child.exitCode === null && instance.child.signalCode === null ? instance.stop() : undefined)));
}
