// API keys for the CLI and scripts. The secret is in the create answer only
// (the server keeps its hash), so it is shown once, with a copy button.

import type { JSX } from 'preact';
import { useState } from 'preact/hooks';
import { createApiKey, listApiKeys, revokeApiKey } from '../../api/account';
import type { ApiKey } from '../../api/types';
import { formatDateTime, formatRelative } from '../../lib/format';
import { useAsync } from '../../lib/hooks';
import { toast } from '../../toast';
import { Alert, Loading, errorMessage } from '../Alert';
import { ConfirmDialog } from '../ConfirmDialog';
import { CopyButton } from '../CopyButton';
import { TextField } from '../Field';
import { SubmitButton } from '../SubmitButton';

function NewKey({ apiKey, secret, onDone }: { apiKey: ApiKey; secret: string; onDone: () => void }) {
  return (
    <div class="new-key" role="region" aria-labelledby="new-key-title">
      <h3 id="new-key-title">Your new key “{apiKey.name}”</h3>
      <p>
        <strong>Copy it now: you won't see it again.</strong> Stratus stores only a hash of it.
      </p>
      <div class="code-with-copy">
        <code class="url secret" tabIndex={0} aria-label="New API key">
          {secret}
        </code>
        <CopyButton text={secret} label="Copy key" />
      </div>
      <p class="text-muted small">
        Use it as <code>Authorization: Bearer …</code>, or <code>export STRATUS_API_KEY=…</code> for the CLI.
      </p>
      <button type="button" class="button button-small" onClick={onDone}>
        Done, hide the key
      </button>
    </div>
  );
}

export function ApiKeys() {
  const keys = useAsync(listApiKeys, []);
  const [name, setName] = useState('');
  const [busy, setBusy] = useState(false);
  const [nameError, setNameError] = useState<string | undefined>();
  const [created, setCreated] = useState<{ apiKey: ApiKey; key: string } | null>(null);
  const [revoking, setRevoking] = useState<ApiKey | null>(null);
  const [revokeBusy, setRevokeBusy] = useState(false);
  const [revokeError, setRevokeError] = useState<string | null>(null);

  const onCreate = async (event: JSX.TargetedEvent<HTMLFormElement>) => {
    event.preventDefault();
    if (!name.trim()) {
      setNameError('Give the key a name, e.g. the machine that will use it.');
      return;
    }
    setBusy(true);
    setNameError(undefined);
    try {
      const answer = await createApiKey(name.trim());
      setCreated(answer);
      setName('');
      keys.reload();
    } catch (error) {
      setNameError(errorMessage(error));
    } finally {
      setBusy(false);
    }
  };

  const onRevoke = async () => {
    if (!revoking) return;
    setRevokeBusy(true);
    setRevokeError(null);
    try {
      await revokeApiKey(revoking.id);
      toast(`Key “${revoking.name}” revoked.`, 'success');
      setRevoking(null);
      keys.reload();
    } catch (error) {
      setRevokeError(errorMessage(error));
    } finally {
      setRevokeBusy(false);
    }
  };

  const sorted = [...(keys.data ?? [])].sort((a, b) => b.createdAt - a.createdAt);
  return (
    <section class="card" aria-labelledby="keys-title">
      <h2 id="keys-title">API keys</h2>
      <p class="text-muted">For the <code>stratus</code> CLI, scripts and the AWS-compatible API.</p>
      <form onSubmit={onCreate} class="inline-form">
        <TextField
          label="Key name"
          value={name}
          onValue={setName}
          error={nameError}
          placeholder="laptop"
          autoComplete="off"
          maxLength={100}
        />
        <SubmitButton busy={busy}>Create key</SubmitButton>
      </form>
      {created && <NewKey apiKey={created.apiKey} secret={created.key} onDone={() => setCreated(null)} />}
      {keys.error !== undefined && <Alert>Could not load your keys: {errorMessage(keys.error)}</Alert>}
      {keys.loading && !keys.data && <Loading label="Loading keys…" />}
      {keys.data && keys.data.length === 0 && <p class="empty-inline">No keys yet.</p>}
      {sorted.length > 0 && (
        <div class="table-scroll" tabIndex={0} role="region" aria-label="API keys table">
          <table class="table">
            <caption class="visually-hidden">API keys</caption>
            <thead>
              <tr>
                <th scope="col">Name</th>
                <th scope="col">Prefix</th>
                <th scope="col">Created</th>
                <th scope="col">Last used</th>
                <th scope="col">Status</th>
                <th scope="col">
                  <span class="visually-hidden">Actions</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {sorted.map((key) => (
                <tr key={key.id} class={key.revokedAt ? 'row-muted' : undefined}>
                  <th scope="row">{key.name}</th>
                  <td>
                    <code>{key.prefix}…</code>
                  </td>
                  <td>{formatDateTime(key.createdAt)}</td>
                  <td>{key.lastUsedAt ? formatRelative(key.lastUsedAt) : 'Never'}</td>
                  <td>{key.revokedAt ? `Revoked ${formatDateTime(key.revokedAt)}` : 'Active'}</td>
                  <td>
                    {!key.revokedAt && (
                      <button
                        type="button"
                        class="button button-small button-danger-quiet"
                        onClick={() => {
                          setRevokeError(null);
                          setRevoking(key);
                        }}
                      >
                        Revoke<span class="visually-hidden"> key {key.name}</span>
                      </button>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <ConfirmDialog
        open={revoking !== null}
        title={`Revoke “${revoking?.name ?? ''}”?`}
        confirmLabel="Yes, revoke"
        danger
        busy={revokeBusy}
        onConfirm={onRevoke}
        onClose={() => setRevoking(null)}
      >
        <p>Anything using this key stops working at once. This cannot be undone.</p>
        {revokeError && <Alert>{revokeError}</Alert>}
      </ConfirmDialog>
    </section>
  );
}
