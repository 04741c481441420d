// /functions/{name}: everything about one function on one page.

import { useState } from 'preact/hooks';
import { ApiError } from '../api/client';
import { deleteFunction, fetchExecutors, fetchFunction } from '../api/functions';
import { Alert, Loading, errorMessage } from '../components/Alert';
import { ConfirmDialog } from '../components/ConfirmDialog';
import { CodeViewer } from '../components/function/CodeViewer';
import { ConfigSummary } from '../components/function/ConfigSummary';
import { InvocationsTable } from '../components/function/InvocationsTable';
import { InvokeUrls } from '../components/function/InvokeUrls';
import { MetricsCharts } from '../components/function/MetricsCharts';
import { TestConsole } from '../components/function/TestConsole';
import { VersionsList } from '../components/function/VersionsList';
import { useAsync, useTitle } from '../lib/hooks';
import { functionPath, navigate } from '../router';
import { toast } from '../toast';

export function FunctionPage({ name }: { name: string }) {
  useTitle(name);
  const loaded = useAsync(() => fetchFunction(name), [name]);
  const executors = useAsync(fetchExecutors, []);
  const [refreshKey, setRefreshKey] = useState(0);
  const [viewVersion, setViewVersion] = useState<number | null>(null);
  const [confirming, setConfirming] = useState(false);
  const [deleting, setDeleting] = useState(false);
  const [deleteError, setDeleteError] = useState<string | null>(null);

  if (loaded.loading && !loaded.data) return <Loading label="Loading the function…" />;
  if (loaded.error !== undefined || !loaded.data) {
    const missing = loaded.error instanceof ApiError && loaded.error.status === 404;
    return (
      <>
        <h1>{missing ? 'Function not found' : name}</h1>
        <Alert>{missing ? `There is no function called “${name}”.` : errorMessage(loaded.error)}</Alert>
        <p>
          <a href="/functions">Back to functions</a>
        </p>
      </>
    );
  }
  const fn = loaded.data;

  const onDelete = async () => {
    setDeleting(true);
    setDeleteError(null);
    try {
      await deleteFunction(fn.name);
      setConfirming(false);
      toast(`Function ${fn.name} deleted.`, 'success');
      navigate('/functions');
    } catch (error) {
      setDeleteError(errorMessage(error));
      setDeleting(false);
    }
  };

  return (
    <>
      <nav aria-label="Breadcrumb" class="breadcrumb">
        <a href="/functions">Functions</a>
      </nav>
      <div class="page-header">
        <div>
          <h1>
            {fn.name}
            {fn.public && <span class="badge badge-warning">public</span>}
          </h1>
          {fn.description && <p class="lead">{fn.description}</p>}
        </div>
        <div class="actions">
          <a class="button" href={functionPath(fn, '/edit')}>
            Edit
          </a>
          <button type="button" class="button button-danger" onClick={() => setConfirming(true)}>
            Delete function
          </button>
        </div>
      </div>

      <div class="function-grid">
        <div class="function-main">
          <TestConsole fn={fn} onRan={() => setRefreshKey((n) => n + 1)} />
          <MetricsCharts name={fn.name} refreshKey={refreshKey} />
        </div>
        <div class="function-side">
          <ConfigSummary fn={fn} />
          <InvokeUrls fn={fn} executors={executors.data} />
        </div>
      </div>
      {/* Wide tables and code get the full width. */}
      <InvocationsTable name={fn.name} refreshKey={refreshKey} />
      <CodeViewer
        name={fn.name}
        version={viewVersion ?? fn.currentVersion}
        currentVersion={fn.currentVersion}
        onShowCurrent={() => setViewVersion(null)}
      />
      <VersionsList
        name={fn.name}
        currentVersion={fn.currentVersion}
        viewing={viewVersion ?? fn.currentVersion}
        onView={(version) => {
          setViewVersion(version === fn.currentVersion ? null : version);
          document.getElementById('code-title')?.scrollIntoView({ block: 'start' });
        }}
      />

      <ConfirmDialog
        open={confirming}
        title={`Delete ${fn.name}?`}
        confirmLabel="Yes, delete"
        danger
        busy={deleting}
        onConfirm={onDelete}
        onClose={() => {
          setConfirming(false);
          setDeleteError(null);
        }}
      >
        <p>
          All {fn.currentVersion > 1 ? `${fn.currentVersion} versions` : 'its code'}, its invocation history and
          its URLs go too. This cannot be undone.
        </p>
        {deleteError && <Alert>{deleteError}</Alert>}
      </ConfirmDialog>
    </>
  );
}
