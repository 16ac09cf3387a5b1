import type { BenchSizes } from './config.js';
import type { LlmProcess } from './support/llm-process.js';
import type { ResultRow } from './support/report.js';

export interface ScenarioContext {
  sizes: BenchSizes;
  /** A fresh directory for this scenario's data (removed afterwards). */
  workDir: string;
  llm: LlmProcess;
  /** Extra node flags for every goosed the scenario starts (e.g. --cpu-prof when profiling). */
  goosedNodeArgs: string[];
  log(message: string): void;
}

export interface ScenarioResult {
  rows: ResultRow[];
  details: Record<string, unknown>;
}

export interface Scenario {
  name: string;
  run(context: ScenarioContext): Promise<ScenarioResult>;
}
