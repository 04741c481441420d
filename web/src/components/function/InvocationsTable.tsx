// Recent calls, newest first, a page at a time. The API only pages backwards
// (before=cursor), so "Newer" walks back through the cursors already visited.

import { Fragment } from 'preact';
import { useEffect, useId, useState } from 'preact/hooks';
import { listInvocations } from '../../api/functions';
import { INVOCATION_STATUSES, type Invocation, type InvocationStatus } from '../../api/types';
import { formatBytes, formatDuration, formatTimeSeconds } from '../../lib/format';
import { useAsync } from '../../lib/hooks';
import { Alert, Loading, errorMessage } from '../Alert';

const PAGE_SIZE = 50;

interface InvocationsTableProps {
  name: string;
  /** Bumped by the page after a test run. */
  refreshKey: number;
}

function StatusPill({ status }: { status: InvocationStatus }) {
  return <span class={`status-pill status-${status === 'ok' ? 'ok' : 'error'}`}>{status}</span>;
}

function Details({ invocation, id }: { invocation: Invocation; id: string }) {
  return (
    <div class="invocation-details" id={id}>
      <dl class="run-facts">
        <div>
          <dt>Invocation</dt>
          <dd>
            <code>{invocation.id}</code>
          </dd>
        </div>
        <div>
          <dt>Exit code</dt>
          <dd>{invocation.exitCode ?? '—'}</dd>
        </div>
        <div>
          <dt>Init</dt>
          <dd>{invocation.coldStart ? formatDuration(invocation.initDurationMs) : '—'}</dd>
        </div>
        <div>
          <dt>Memory used</dt>
          <dd>{invocation.memoryUsed ? formatBytes(invocation.memoryUsed) : '—'}</dd>
        </div>
      </dl>
      {invocation.error && (
        <>
          <h4>Error</h4>
          <pre class="output-text output-error">{invocation.error}</pre>
        </>
      )}
      <h4>Logs</h4>
      {invocation.logExcerpt ? (
        <pre class="output-text">{invocation.logExcerpt}</pre>
      ) : (
        <p class="text-muted small">No output was recorded.</p>
      )}
    </div>
  );
}

export function InvocationsTable({ name, refreshKey }: InvocationsTableProps) {
  const [status, setStatus] = useState<InvocationStatus | ''>('');
  // cursors[i] is the `before` of page i; page 0 has none (the newest calls).
  const [cursors, setCursors] = useState<(string | undefined)[]>([undefined]);
  const [expanded, setExpanded] = useState<Set<string>>(new Set());
  const page = cursors.length - 1;
  const before = cursors[page];
  const baseId = useId();

  const result = useAsync(
    () => listInvocations(name, { limit: PAGE_SIZE, status: status || undefined, before }),
    [name, status, before, refreshKey],
  );

  // A test run adds a call at the top: go back to the newest page to show it.
  useEffect(() => {
    if (refreshKey > 0) setCursors([undefined]);
  }, [refreshKey]);

  // Servers without the status filter return everything; filter here as well.
  const rows = (result.data?.invocations ?? []).filter((item) => !status || item.status === status);
  const nextCursor = result.data?.nextCursor ?? null;

  const toggle = (id: string) =>
    setExpanded((previous) => {
      const next = new Set(previous);
      if (next.has(id)) next.delete(id);
      else next.add(id);
      return next;
    });

  return (
    <section class="card" aria-labelledby={`${baseId}-title`}>
      <div class="card-header">
        <h2 id={`${baseId}-title`}>Invocations</h2>
        <div class="field field-inline">
          <label for={`${baseId}-status`}>Status</label>
          <select
            id={`${baseId}-status`}
            value={status}
            onChange={(event) => {
              setStatus(event.currentTarget.value as InvocationStatus | '');
              setCursors([undefined]);
            }}
          >
            <option value="">All</option>
            {INVOCATION_STATUSES.map((value) => (
              <option value={value} key={value}>
                {value}
              </option>
            ))}
          </select>
        </div>
      </div>
      {result.error !== undefined && <Alert>Could not load invocations: {errorMessage(result.error)}</Alert>}
      {result.loading && !result.data && <Loading label="Loading invocations…" />}
      {result.data && (
        <div class="table-scroll" tabIndex={0} role="region" aria-labelledby={`${baseId}-caption`}>
          <table class="table" aria-busy={result.loading ? 'true' : undefined}>
            <caption id={`${baseId}-caption`} class="visually-hidden">
              Invocations
            </caption>
            <thead>
              <tr>
                <th scope="col">Time</th>
                <th scope="col">Status</th>
                <th scope="col" class="num">
                  Duration
                </th>
                <th scope="col">Cold start</th>
                <th scope="col">Executor</th>
                <th scope="col" class="num">
                  Version
                </th>
                <th scope="col">
                  <span class="visually-hidden">Details</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {rows.length === 0 && (
                <tr>
                  <td colSpan={7} class="empty-cell">
                    {status ? `No ${status} invocations on this page.` : 'No invocations yet. Run it from the Test panel.'}
                  </td>
                </tr>
              )}
              {rows.map((item) => {
                const open = expanded.has(item.id);
                const detailsId = `${baseId}-details-${item.id}`;
                return (
                  <Fragment key={item.id}>
                    <tr class={open ? 'row-open' : undefined}>
                      <td>
                        <time dateTime={new Date(item.startedAt).toISOString()}>{formatTimeSeconds(item.startedAt)}</time>
                      </td>
                      <td>
                        <StatusPill status={item.status} />
                      </td>
                      <td class="num">{formatDuration(item.durationMs)}</td>
                      <td>{item.coldStart ? 'Yes' : 'No'}</td>
                      <td>{item.executor}</td>
                      <td class="num">{item.version}</td>
                      <td>
                        <button
                          type="button"
                          class="button button-small"
                          aria-expanded={open ? 'true' : 'false'}
                          aria-controls={open ? detailsId : undefined}
                          onClick={() => toggle(item.id)}
                        >
                          Logs<span class="visually-hidden"> of the call at {formatTimeSeconds(item.startedAt)}</span>
                        </button>
                      </td>
                    </tr>
                    {open && (
                      <tr class="details-row">
                        <td colSpan={7}>
                          <Details invocation={item} id={detailsId} />
                        </td>
                      </tr>
                    )}
                  </Fragment>
                );
              })}
            </tbody>
          </table>
        </div>
      )}
      <nav class="pager" aria-label="Invocation pages">
        <button
          type="button"
          class="button button-small"
          disabled={page === 0 || result.loading}
          onClick={() => setCursors((previous) => previous.slice(0, -1))}
        >
          Newer
        </button>
        <span class="text-muted small">Page {page + 1}</span>
        <button
          type="button"
          class="button button-small"
          disabled={!nextCursor || result.loading}
          onClick={() => nextCursor && setCursors((previous) => [...previous, nextCursor])}
        >
          Older
        </button>
      </nav>
    </section>
  );
}
