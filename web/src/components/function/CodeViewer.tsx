// The files of one version and the text of the selected one. Plain <pre>: the
// point is to check what was deployed, not to edit it.

import { useEffect, useState } from 'preact/hooks';
import { ApiError } from '../../api/client';
import { fetchCodeFile, listCode } from '../../api/functions';
import { formatBytes } from '../../lib/format';
import { useAsync } from '../../lib/hooks';
import { Alert, Loading, errorMessage } from '../Alert';

interface CodeViewerProps {
  name: string;
  version: number;
  currentVersion: number;
  onShowCurrent: () => void;
}

export function CodeViewer({ name, version, currentVersion, onShowCurrent }: CodeViewerProps) {
  const listing = useAsync(() => listCode(name, version), [name, version]);
  const [selected, setSelected] = useState<string | null>(null);

  // Open the first text file of each listing, usually the entry file.
  useEffect(() => {
    const files = listing.data?.files ?? [];
    setSelected((files.find((file) => !file.binary) ?? files[0])?.path ?? null);
  }, [listing.data]);

  const file = useAsync(
    () => (selected ? fetchCodeFile(name, selected, version) : Promise.resolve(null)),
    [name, selected, version],
  );

  const unavailable = listing.error instanceof ApiError && listing.error.isMissingRoute;
  return (
    <section class="card" aria-labelledby="code-title">
      <div class="card-header">
        <h2 id="code-title">Code</h2>
        <span class="text-muted small">
          Version {version}
          {version !== currentVersion && (
            <>
              {' '}
              (not current){' '}
              <button type="button" class="button button-small" onClick={onShowCurrent}>
                Show current
              </button>
            </>
          )}
        </span>
      </div>
      {unavailable && <p class="text-muted">The code viewer is unavailable on this server.</p>}
      {listing.error !== undefined && !unavailable && <Alert>Could not list the files: {errorMessage(listing.error)}</Alert>}
      {listing.loading && !listing.data && <Loading label="Loading files…" />}
      {listing.data && (
        <div class="code-viewer">
          <ul class="file-list" aria-label="Files">
            {listing.data.files.map((entry) => (
              <li key={entry.path}>
                <button
                  type="button"
                  class="file-button"
                  aria-current={entry.path === selected ? 'true' : undefined}
                  onClick={() => setSelected(entry.path)}
                >
                  <span class="file-path">{entry.path}</span>
                  <span class="file-size">{formatBytes(entry.size)}</span>
                </button>
              </li>
            ))}
          </ul>
          <div class="file-view">
            {file.loading && !file.data && <Loading label="Loading file…" />}
            {file.error !== undefined && <Alert>{errorMessage(file.error)}</Alert>}
            {file.data && (
              <>
                <p class="file-view-title">
                  <code>{file.data.path}</code>
                  {file.data.truncated && <span class="badge badge-warning">truncated</span>}
                </p>
                {file.data.binary ? (
                  <p class="text-muted">Binary file ({formatBytes(file.data.size)}), not shown.</p>
                ) : (
                  <pre class="code-block" tabIndex={0} aria-label={`Contents of ${file.data.path}`}>
                    {file.data.content}
                  </pre>
                )}
              </>
            )}
          </div>
        </div>
      )}
    </section>
  );
}
