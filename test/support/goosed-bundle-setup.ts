// Once per test run: the goosed bundle that tests start as a command (runGoosed), built before any
// worker starts and removed at the end, so no worker builds its own or leaves one behind.
import { buildGoosedBundle } from './goosed-bundle.js';

export default async function setup(): Promise<() => void> {
  const bundle = await buildGoosedBundle();
  process.env.TEST_GOOSED_BUNDLE = bundle.file;
  return () => bundle.remove();
}
