import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, release } from 'node:os';
import { join } from 'node:path';
import { availableParallelism } from 'node:os';
import { round } from './stats.js';

/** One line of the report: goosed's figure beside the baseline measured in the same run. */
export interface ResultRow {
  scenario: string;
  metric: string;
  unit: string;
  goosed: number;
  baseline: number | null;
  baselineLabel: string;
  /** goosed / baseline, when both exist. */
  ratio: number | null;
  target: string;
  /** null: reported for context, no target of its own (or skipped: see note). */
  pass: boolean | null;
  note?: string;
}

export interface RowInput {
  scenario: string;
  metric: string;
  unit: string;
  goosed: number;
  baseline?: number | null;
  baselineLabel?: string;
  target?: string;
  pass?: boolean | null;
  note?: string;
  /** False when goosed's figure and the baseline are not two measures of the same thing; a number to give it. */
  ratio?: boolean | number;
}

export function row(input: RowInput): ResultRow {
  const baseline = input.baseline ?? null;
  const ratio = typeof input.ratio === 'number' ? round(input.ratio, 3) : input.ratio !== false && baseline !== null && baseline !== 0 && Number.isFinite(input.goosed) ? round(input.goosed / baseline, 3) : null;
  return {
    scenario: input.scenario,
    metric: input.metric,
    unit: input.unit,
    goosed: round(input.goosed, 3),
    baseline: baseline === null ? null : round(baseline, 3),
    baselineLabel: input.baselineLabel ?? '',
    ratio,
    target: input.target ?? '',
    pass: input.pass ?? null,
    note: input.note,
  };
}

/** A scenario that could not run (e.g. the WebSocket route is missing): one row that says why. */
export function skipped(scenario: string, metric: string, note: string): ResultRow {
  return { scenario, metric, unit: '', goosed: Number.NaN, baseline: null, baselineLabel: '', ratio: null, target: '', pass: null, note: `skipped: ${note}` };
}

export interface Machine {
  nproc: number;
  cpu: string;
  node: string;
  os: string;
  /** 1-minute load average when the run started: other work on the machine skews every figure. */
  load_at_start: number;
}

export function describeMachine(): Machine {
  return { nproc: availableParallelism(), cpu: cpus()[0]?.model.trim() ?? 'unknown', node: process.version, os: `${process.platform} ${release()}`, load_at_start: round(loadavg()[0]) };
}

function show(value: number | null, unit: string): string {
  if (value === null) return '—';
  if (Number.isNaN(value)) return 'n/a';
  const digits = Math.abs(value) >= 1000 ? 0 : Math.abs(value) >= 10 ? 1 : 2;
  return `${value.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: 0 })}${unit ? ` ${unit}` : ''}`;
}

function verdict(pass: boolean | null, note: string | undefined): string {
  if (note?.startsWith('skipped')) return 'skipped';
  return pass === null ? '—' : pass ? 'pass' : 'MISS';
}

/** The report as a Markdown table (printed, written next to the JSON, pasted into docs/benchmarks.md). */
export function markdownTable(rows: readonly ResultRow[]): string {
  const header = ['scenario', 'metric', 'goosed', 'baseline (same run)', 'ratio', 'target', 'result'];
  const lines = [`| ${header.join(' | ')} |`, `|${header.map(() => '---').join('|')}|`];
  for (const r of rows) {
    const baseline = r.baseline === null ? '—' : `${show(r.baseline, r.unit)} (${r.baselineLabel})`;
    const ratio = r.ratio === null ? '—' : `${r.ratio.toFixed(2)}×`;
    const result = verdict(r.pass, r.note);
    const metric = r.note ? `${r.metric} <br><sub>${r.note}</sub>` : r.metric;
    lines.push(`| ${r.scenario} | ${metric} | ${show(r.goosed, r.unit)} | ${baseline} | ${ratio} | ${r.target || '—'} | ${result} |`);
  }
  return lines.join('\n');
}

/** One scenario's rows as aligned text, printed as soon as the scenario ends. */
export function textRows(rows: readonly ResultRow[]): string {
  return rows
    .map((r) => {
      const ratio = r.ratio === null ? '' : ` ratio ${r.ratio.toFixed(2)}×`;
      const baseline = r.baseline === null ? '' : `  baseline ${show(r.baseline, r.unit)} (${r.baselineLabel})`;
      const target = r.target ? `  target ${r.target}` : '';
      const note = r.note ? `  [${r.note}]` : '';
      return `  ${verdict(r.pass, r.note).padEnd(7)} ${r.scenario.padEnd(19)} ${r.metric.padEnd(44)} ${show(r.goosed, r.unit).padStart(14)}${baseline}${ratio}${target}${note}`;
    })
    .join('\n');
}

export interface RunReport {
  mode: 'full' | 'quick';
  /** Where goosed kept its data (`--store`). */
  store: 'sqlite' | 'postgres';
  started_at: string;
  duration_s: number;
  machine: Machine;
  load_at_end: number;
  rows: ResultRow[];
  /** Raw figures behind the rows, per scenario, for anyone digging further. */
  details: Record<string, unknown>;
}

/** Writes latest.json / latest.md and timestamped copies under bench/results/. */
export function writeReport(directory: string, report: RunReport): { json: string; markdown: string } {
  mkdirSync(directory, { recursive: true });
  const stamp = report.started_at.replace(/[:.]/g, '-');
  const json = JSON.stringify(report, (_key, value) => (typeof value === 'number' && !Number.isFinite(value) ? null : value), 2);
  const markdown =
    `${machineLine(report.machine)} — ${report.mode} run on ${report.store === 'postgres' ? 'PostgreSQL' : 'SQLite'}, ${report.started_at}, load average ${report.machine.load_at_start} at start, ${report.load_at_end} at end\n\n` +
    `${markdownTable(report.rows)}\n`;
  // A PostgreSQL run does not replace the latest SQLite figures.
  const latest = report.store === 'postgres' ? 'latest-postgres' : 'latest';
  for (const name of [latest, `${stamp}${report.store === 'postgres' ? '-postgres' : ''}`]) {
    writeFileSync(join(directory, `${name}.json`), `${json}\n`);
    writeFileSync(join(directory, `${name}.md`), markdown);
  }
  return { json: join(directory, `${latest}.json`), markdown: join(directory, `${latest}.md`) };
}

export function machineLine(machine: Machine): string {
  return `${machine.cpu}, ${machine.nproc} CPUs (nproc), Node ${machine.node}, ${machine.os}`;
}
