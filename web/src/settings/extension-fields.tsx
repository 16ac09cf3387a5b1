import { Field } from '../lib/field.js';
import { splitCommandLine } from './command-line.js';
import type { ExtensionDraft, ExtensionKind } from './extension-draft.js';

interface ExtensionFieldsProps {
  kind: ExtensionKind;
  draft: ExtensionDraft;
  onChange: (draft: ExtensionDraft) => void;
  /** Keeps ids unique when the add form and an edit form are on the page together. */
  idPrefix: string;
}

/** The settings of one kind of extension, shared by the add and edit forms. */
export function ExtensionFields({ kind, draft, onChange, idPrefix }: ExtensionFieldsProps) {
  const id = (name: string) => `${idPrefix}-${name}`;
  const set = (change: Partial<ExtensionDraft>) => onChange({ ...draft, ...change });

  if (kind === 'developer') {
    return (
      <div class="field">
        <label class="check">
          <input type="checkbox" checked={draft.allowShell} aria-describedby={id('shell-hint')} onChange={(event) => set({ allowShell: event.currentTarget.checked })} />
          Allow shell commands
        </label>
        <span id={id('shell-hint')} class="hint">
          Lets the agent run any command in the session's working directory, as the user goosed runs as. Viewing and editing files works without it.
        </span>
      </div>
    );
  }
  if (kind === 'stdio') {
    return (
      <>
        <Field id={id('command')} label="Command" hint="The whole command line, as you would type it in a terminal.">
          <input
            id={id('command')}
            aria-describedby={`${id('command')}-hint ${id('command-split')}`}
            value={draft.commandLine}
            required
            spellcheck={false}
            autoComplete="off"
            placeholder="npx -y @modelcontextprotocol/server-everything"
            onInput={(event) => set({ commandLine: event.currentTarget.value })}
          />
        </Field>
        <CommandSplit id={id('command-split')} line={draft.commandLine} />
        <Field id={id('env')} label="Environment" hint="NAME=value, one per line.">
          <textarea id={id('env')} aria-describedby={`${id('env')}-hint`} rows={2} value={draft.env} spellcheck={false} onInput={(event) => set({ env: event.currentTarget.value })} />
        </Field>
      </>
    );
  }
  return (
    <>
      <Field id={id('url')} label="URL">
        <input id={id('url')} type="url" value={draft.url} required spellcheck={false} placeholder="https://example.com/mcp" onInput={(event) => set({ url: event.currentTarget.value })} />
      </Field>
      <Field id={id('headers')} label="Headers" hint="Name: value, one per line.">
        <textarea id={id('headers')} aria-describedby={`${id('headers')}-hint`} rows={2} value={draft.headers} spellcheck={false} onInput={(event) => set({ headers: event.currentTarget.value })} />
      </Field>
    </>
  );
}

/** How goosed will start the command: the program, then each argument, as the line splits. */
function CommandSplit({ id, line }: { id: string; line: string }) {
  if (line.trim() === '') return null;
  let split;
  try {
    split = splitCommandLine(line);
  } catch (error) {
    return (
      <p id={id} class="error-text small-text command-split">
        {(error as Error).message}
      </p>
    );
  }
  return (
    <dl id={id} class="command-split small-text">
      <dt>Program</dt>
      <dd>
        <code class="word">{split.program}</code>
      </dd>
      <dt>Arguments</dt>
      <dd>{split.args.length === 0 ? <span class="muted">none</span> : split.args.map((arg) => <code class="word">{arg}</code>)}</dd>
    </dl>
  );
}
