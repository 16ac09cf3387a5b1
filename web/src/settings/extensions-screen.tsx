import { useEffect, useState } from 'preact/hooks';
import type { Extension } from '../../../src/client/index.js';
import { api, dataOf, describeError, GoosedError } from '../lib/api.js';
import { AddExtensionForm } from './add-extension-form.js';
import { joinCommandLine } from './command-line.js';
import { EditExtensionForm } from './edit-extension-form.js';

const typeLabels: Record<Extension['type'], string> = { builtin: 'built-in', stdio: 'command', streamable_http: 'HTTP' };

export function ExtensionsScreen({ keyVersion }: { keyVersion: number }) {
  const [extensions, setExtensions] = useState<Extension[] | null>(null);
  const [error, setError] = useState<string | null>(null);

  const load = async () => {
    try {
      setExtensions(await dataOf(api.GET('/api/extensions')));
    } catch (caught) {
      setError(describeError(caught));
    }
  };
  useEffect(() => void load(), [keyVersion]);
  // Extensions start in the background, and list their tools once running: look again meanwhile
  // (for at most half a minute, as a server may well have no tools at all).
  const settling = extensions?.some((extension) => extension.state === 'starting' || (extension.state === 'running' && extension.type !== 'builtin' && extension.tools.length === 0)) ?? false;
  useEffect(() => {
    if (!settling) return;
    let looks = 0;
    const timer = setInterval(() => {
      if (++looks >= 30) clearInterval(timer);
      void load();
    }, 1000);
    return () => clearInterval(timer);
  }, [settling]);

  const act = async (action: () => Promise<unknown>) => {
    setError(null);
    try {
      await action();
    } catch (caught) {
      setError(describeError(caught));
    }
    await load();
  };
  const toggle = (extension: Extension) => act(() => dataOf(api.PATCH('/api/extensions/{id}/toggle', { params: { path: { id: extension.id } } })));
  const remove = (extension: Extension) =>
    act(async () => {
      const { response, error: body } = await api.DELETE('/api/extensions/{id}', { params: { path: { id: extension.id } } });
      if (!response.ok) throw GoosedError.fromBody(response.status, body, response.statusText);
    });

  return (
    <div class="page">
      <h1>Extensions</h1>
      <p class="lead">
        Tools the agent can use: the built-in <span class="mono">developer</span> extension (shell and file editing) and any MCP server, started
        as a command or reached over HTTP.
      </p>
      {error && (
        <p class="problem" role="alert">
          {error}
        </p>
      )}
      {extensions && extensions.length === 0 && (
        <p class="muted">None yet: without extensions the agent can only talk. Add one below; the built-in developer tools are a good start.</p>
      )}
      <ul class="extension-list">
        {extensions?.map((extension) => (
          <ExtensionCard key={extension.id} extension={extension} onToggle={() => toggle(extension)} onRemove={() => remove(extension)} onEdited={load} />
        ))}
      </ul>
      <AddExtensionForm onAdded={load} />
    </div>
  );
}

interface ExtensionCardProps {
  extension: Extension;
  onToggle: () => Promise<void>;
  onRemove: () => Promise<void>;
  onEdited: () => Promise<void>;
}

function ExtensionCard({ extension, onToggle, onRemove, onEdited }: ExtensionCardProps) {
  const [confirming, setConfirming] = useState(false);
  const [editing, setEditing] = useState(false);
  const [busy, setBusy] = useState(false);
  const run = async (action: () => Promise<void>) => {
    setBusy(true);
    await action();
    setBusy(false);
  };
  const switchId = `enabled-${extension.id}`;
  return (
    <li class="card extension">
      <div class="card-head">
        <strong id={`extension-${extension.id}`}>{extension.name}</strong>
        <span class="badge">{typeLabels[extension.type]}</span>
        <span class={`badge ${extension.state}`}>{extension.state}</span>
        <span class="spacer" />
        <label class="switch" for={switchId}>
          <input id={switchId} type="checkbox" role="switch" checked={extension.enabled} disabled={busy} onChange={() => run(onToggle)} />
          Enabled
        </label>
        {!editing && (
          <button type="button" class="button small" onClick={() => setEditing(true)}>
            Edit…
          </button>
        )}
        {confirming ? (
          <span class="confirm" role="group" aria-label={`Remove ${extension.name}?`}>
            <button type="button" class="button small danger" disabled={busy} onClick={() => run(onRemove)}>
              Remove
            </button>
            <button type="button" class="button small" onClick={() => setConfirming(false)} autoFocus>
              Keep
            </button>
          </span>
        ) : (
          <button type="button" class="button small" onClick={() => setConfirming(true)}>
            Remove…
          </button>
        )}
      </div>
      {editing ? (
        <EditExtensionForm
          extension={extension}
          onDone={async (saved) => {
            setEditing(false);
            if (saved) await onEdited();
          }}
        />
      ) : (
        <ConfigSummary extension={extension} />
      )}
      {extension.state === 'failed' && extension.last_error && <p class="error-text small-text">{extension.last_error}</p>}
      {extension.tools.length > 0 && (
        <p class="tools small-text">
          {extension.tools.map((tool) => (
            <span class="tool-chip" title={tool.description}>
              {tool.name.replace(`${extension.name}__`, '')}
              {tool.read_only && <span class="visually-hidden"> (read-only)</span>}
            </span>
          ))}
        </p>
      )}
    </li>
  );
}

function ConfigSummary({ extension }: { extension: Extension }) {
  const config = extension.config as Record<string, unknown>;
  if (extension.type === 'builtin') {
    return <p class="muted small-text">{config.allow_shell ? 'Shell commands allowed' : 'Shell commands off (file editing only)'}</p>;
  }
  const target =
    extension.type === 'stdio'
      ? joinCommandLine(String(config.command ?? ''), Array.isArray(config.args) ? config.args.map(String) : [])
      : String(config.url ?? '');
  return <p class="mono small-text muted">{target}</p>;
}
