import { listVersions } from '../../api/functions';
import { formatBytes, formatDateTime } from '../../lib/format';
import { useAsync } from '../../lib/hooks';
import { Alert, Loading, errorMessage } from '../Alert';

interface VersionsListProps {
  name: string;
  currentVersion: number;
  viewing: number;
  onView: (version: number) => void;
}

export function VersionsList({ name, currentVersion, viewing, onView }: VersionsListProps) {
  const versions = useAsync(() => listVersions(name), [name, currentVersion]);
  return (
    <section class="card" aria-labelledby="versions-title">
      <h2 id="versions-title">Versions</h2>
      {versions.error !== undefined && <Alert>Could not load versions: {errorMessage(versions.error)}</Alert>}
      {versions.loading && !versions.data && <Loading />}
      {versions.data && (
        <div class="table-scroll" tabIndex={0} role="region" aria-label="Versions">
          <table class="table">
            <caption class="visually-hidden">Versions</caption>
            <thead>
              <tr>
                <th scope="col">Version</th>
                <th scope="col">Uploaded</th>
                <th scope="col" class="num">
                  Size
                </th>
                <th scope="col">SHA-256</th>
                <th scope="col">
                  <span class="visually-hidden">Code</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {[...versions.data]
                .sort((a, b) => b.version - a.version)
                .map((version) => (
                  <tr key={version.version}>
                    <th scope="row">
                      {version.version}
                      {version.version === currentVersion && <span class="badge">current</span>}
                    </th>
                    <td>{formatDateTime(version.createdAt)}</td>
                    <td class="num">{formatBytes(version.codeSize)}</td>
                    <td>
                      <code title={version.codeSha256}>{version.codeSha256.slice(0, 12)}</code>
                    </td>
                    <td>
                      <button
                        type="button"
                        class="button button-small"
                        aria-pressed={viewing === version.version ? 'true' : 'false'}
                        onClick={() => onView(version.version)}
                      >
                        View code<span class="visually-hidden"> of version {version.version}</span>
                      </button>
                    </td>
                  </tr>
                ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}
