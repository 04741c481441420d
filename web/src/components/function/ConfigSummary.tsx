import type { StratusFunction } from '../../api/types';
import { formatBytes, formatDateTime, plural } from '../../lib/format';

export function ConfigSummary({ fn }: { fn: StratusFunction }) {
  const envNames = Object.keys(fn.env ?? {});
  return (
    <section class="card" aria-labelledby="config-title">
      <h2 id="config-title">Configuration</h2>
      <dl class="summary">
        <div>
          <dt>Runtime</dt>
          <dd>
            <code>{fn.runtime}</code>
          </dd>
        </div>
        <div>
          <dt>Mode</dt>
          <dd>{fn.mode}</dd>
        </div>
        <div>
          <dt>Handler</dt>
          <dd>
            <code>{fn.handler}</code>
          </dd>
        </div>
        <div>
          <dt>Executor</dt>
          <dd>{fn.executor}</dd>
        </div>
        <div>
          <dt>Timeout</dt>
          <dd>{plural(fn.timeout, 'second')}</dd>
        </div>
        <div>
          <dt>Memory</dt>
          <dd>{fn.memory} MB</dd>
        </div>
        <div>
          <dt>Concurrency</dt>
          <dd>{fn.concurrency === null ? 'Unreserved' : `Up to ${fn.concurrency} at once`}</dd>
        </div>
        <div>
          <dt>Access</dt>
          <dd>
            {fn.public ? (
              <span class="text-warning">Public: anyone with the URL can run it</span>
            ) : (
              'Private'
            )}
          </dd>
        </div>
        <div>
          <dt>Environment</dt>
          <dd>{envNames.length ? envNames.join(', ') : 'None'}</dd>
        </div>
        <div>
          <dt>Version</dt>
          <dd>
            {fn.currentVersion} · {formatBytes(fn.codeSize)}
          </dd>
        </div>
        <div>
          <dt>Code SHA-256</dt>
          <dd>
            <code title={fn.codeSha256}>{fn.codeSha256.slice(0, 12)}…</code>
          </dd>
        </div>
        <div>
          <dt>Updated</dt>
          <dd>{formatDateTime(fn.updatedAt)}</dd>
        </div>
      </dl>
    </section>
  );
}
