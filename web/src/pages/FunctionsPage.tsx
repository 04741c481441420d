import { useMemo, useState } from 'preact/hooks';
import { ApiError } from '../api/client';
import { listFunctions } from '../api/functions';
import type { StratusFunction } from '../api/types';
import { Alert, Loading, errorMessage } from '../components/Alert';
import { formatCount, formatDuration, formatRelative, plural } from '../lib/format';
import { useAsync, useTitle } from '../lib/hooks';
import { useStore } from '../lib/store';
import { functionPath } from '../router';
import { providersStore, useSession } from '../session';

function matches(fn: StratusFunction, query: string): boolean {
  const q = query.trim().toLowerCase();
  if (!q) return true;
  return fn.name.toLowerCase().includes(q) || fn.description.toLowerCase().includes(q);
}

function EmptyState() {
  return (
    <section class="empty-state" aria-labelledby="empty-title">
      <h2 id="empty-title">Deploy your first function</h2>
      <p>
        Upload a Python or JavaScript file (or a .zip) and Stratus gives it a URL that runs it in an
        isolated sandbox.
      </p>
      <p>
        <a class="button button-primary" href="/functions/new">
          Create function
        </a>
      </p>
      <p class="text-muted">Prefer the terminal? With an API key from the Account page:</p>
      <pre class="code-line code-wrap">
        <code>stratus deploy cloud.py --name cloud --handler cloud.calculator</code>
      </pre>
    </section>
  );
}

function FunctionsTable({ functions }: { functions: StratusFunction[] }) {
  return (
    <div class="table-scroll" tabIndex={0} role="region" aria-label="Functions table">
      <table class="table">
        <caption class="visually-hidden">Functions</caption>
        <thead>
          <tr>
            <th scope="col">Name</th>
            <th scope="col">Runtime</th>
            <th scope="col">Executor</th>
            <th scope="col">Last invoked</th>
            <th scope="col" class="num">
              Calls (24 h)
            </th>
            <th scope="col" class="num">
              Errors (24 h)
            </th>
            <th scope="col" class="num">
              p50 duration
            </th>
          </tr>
        </thead>
        <tbody>
          {functions.map((fn) => (
            <tr key={fn.id}>
              <th scope="row" class="cell-name">
                <a href={functionPath(fn)}>{fn.name}</a>
                {fn.public && <span class="badge badge-warning">public</span>}
                {fn.description && <span class="cell-description">{fn.description}</span>}
              </th>
              <td>
                <code>{fn.runtime}</code>
              </td>
              <td>{fn.executor}</td>
              <td>
                {fn.stats ? (
                  fn.stats.lastInvokedAt ? (
                    <time dateTime={new Date(fn.stats.lastInvokedAt).toISOString()}>
                      {formatRelative(fn.stats.lastInvokedAt)}
                    </time>
                  ) : (
                    'never'
                  )
                ) : (
                  '—'
                )}
              </td>
              <td class="num">{formatCount(fn.stats?.calls24h)}</td>
              <td class={`num${fn.stats?.errors24h ? ' text-error' : ''}`}>{formatCount(fn.stats?.errors24h)}</td>
              <td class="num">{formatDuration(fn.stats?.p50Ms)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

export function FunctionsPage() {
  useTitle('Functions');
  const user = useSession();
  const { requireVerifiedEmail } = useStore(providersStore);
  // The server refuses the list until the address is verified: do not ask, say why.
  const awaitingVerification = !!user && !user.emailVerified && requireVerifiedEmail;
  const { data, error, loading, reload } = useAsync(
    () => (awaitingVerification ? Promise.resolve(undefined) : listFunctions()),
    [awaitingVerification],
  );
  const [query, setQuery] = useState('');
  const shown = useMemo(() => (data ?? []).filter((fn) => matches(fn, query)), [data, query]);
  const statsMissing = data !== undefined && data.length > 0 && data.every((fn) => !fn.stats);

  return (
    <>
      <div class="page-header">
        <h1>Functions</h1>
        {data && data.length > 0 && (
          <a class="button button-primary" href="/functions/new">
            Create function
          </a>
        )}
      </div>
      {loading && !data && !awaitingVerification && <Loading label="Loading functions…" />}
      {(awaitingVerification || (error instanceof ApiError && error.code === 'email_not_verified')) && (
        <Alert kind="info" title="Verify your email to start">
          <p>Your functions will be listed here once your address is verified. Follow the link we mailed you.</p>
        </Alert>
      )}
      {error !== undefined && !(error instanceof ApiError && error.code === 'email_not_verified') && (
        <Alert title="Could not load your functions">
          <p>{errorMessage(error)}</p>
          <button type="button" class="button button-small" onClick={reload}>
            Try again
          </button>
        </Alert>
      )}
      {data && data.length === 0 && <EmptyState />}
      {data && data.length > 0 && (
        <>
          <div class="toolbar">
            <div class="field field-inline">
              <label for="function-search">Search</label>
              <input
                id="function-search"
                type="search"
                placeholder="Name or description"
                value={query}
                onInput={(event) => setQuery(event.currentTarget.value)}
              />
            </div>
            <p id="functions-results" class="text-muted" role="status">
              {query.trim() ? `Showing ${shown.length} of ${plural(data.length, 'function')}` : plural(data.length, 'function')}
            </p>
          </div>
          {statsMissing && <p class="text-muted small">Usage statistics are unavailable on this server.</p>}
          {shown.length > 0 ? (
            <FunctionsTable functions={shown} />
          ) : (
            <p class="empty-inline">No function matches “{query.trim()}”.</p>
          )}
        </>
      )}
    </>
  );
}
