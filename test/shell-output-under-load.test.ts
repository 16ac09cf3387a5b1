// Found by the soak run: on a loaded machine, `echo soak` sometimes came back as "(no output)". The
// output of a shell that had exited could arrive more than 200 ms after the exit was seen, and 200 ms
// was all the time given before the pipes were abandoned (a wait meant for background jobs that hold
// them). Now, with nothing left in the command's process group, goosed waits for the pipes to close.
import { describe, expect, it } from 'vitest';
import { spawn } from 'node:child_process';
import { cpus } from 'node:os';
import { runCommand } from '../src/extensions/developer/run-command.js';

const RUNS_PER_LOOP = 4;

describe('shell commands on a loaded machine', () => {
  it('keep all their output', async () => {
    // Processes that want every CPU, so that goosed waits its turn as it did in the soak run.
    const burners = Array.from({ length: cpus().length * 2 }, () => spawn(process.execPath, ['-e', 'for(;;){}'], { stdio: 'ignore' }));
    const lost: string[] = [];
    let runs = 0;
    try {
      // Twenty loops spawning shells back to back, as twenty sessions replying at once do: a count,
      // not a time (on a machine loaded by more than the burners, a shell can take seconds).
      await Promise.all(Array.from({ length: 20 }, async (_, loop) => {
        for (let run = 0; run < RUNS_PER_LOOP; run++) {
          const text = `loop-${loop}-run-${runs++}`;
          const outcome = await runCommand(`echo ${text}`, { cwd: process.cwd(), timeoutMs: 60_000, signal: new AbortController().signal, maxOutputBytes: 4096, killGraceMs: 100 });
          if (outcome.output !== `${text}\n`) lost.push(`${text}: ${JSON.stringify(outcome.output)}`);
        }
      }));
    } finally {
      for (const burner of burners) burner.kill('SIGKILL');
    }
    expect(runs).toBe(20 * RUNS_PER_LOOP);
    expect(lost).toEqual([]);
  }, 120_000);
});
