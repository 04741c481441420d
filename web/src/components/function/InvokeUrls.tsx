// How to call the function from outside: one URL per executor (the clone's GET
// routes) and a ready-made curl line for each.

import { EXECUTORS, type Executor, type ExecutorName, type StratusFunction } from '../../api/types';
import { CopyButton } from '../CopyButton';

/** invokeUrl names the sandbox executor; the others differ only in the last segment. */
export function executorUrl(invokeUrl: string, executor: ExecutorName): string {
  return invokeUrl.replace(/\/sandbox\/?$/, `/${executor}`);
}

function quote(text: string): string {
  return `'${text.replace(/'/g, `'\\''`)}'`;
}

function scriptCurl(url: string, isPublic: boolean): string {
  const auth = isPublic ? '' : '-H "Authorization: Bearer $STRATUS_API_KEY" ';
  return `curl ${auth}${quote(`${url}?a=10&b=5`)}`;
}

function handlerCurl(fn: StratusFunction): string {
  let origin = window.location.origin;
  try {
    origin = new URL(fn.invokeUrl).origin;
  } catch {
    // A relative or odd invokeUrl: the dashboard's own origin is the server too.
  }
  const url = `${origin}/api/v1/functions/${encodeURIComponent(fn.name)}/invoke`;
  return (
    `curl -X POST -H "Authorization: Bearer $STRATUS_API_KEY" ` +
    `-H 'Content-Type: application/json' ${quote(url)} -d '{"key": "value"}'`
  );
}

interface InvokeUrlsProps {
  fn: StratusFunction;
  executors: Executor[] | undefined;
}

export function InvokeUrls({ fn, executors }: InvokeUrlsProps) {
  return (
    <section class="card" aria-labelledby="invoke-title">
      <h2 id="invoke-title">Invoke</h2>
      {fn.mode === 'handler' && (
        <div class="invoke-block">
          <p>
            Send the event as the request body; it runs on the <strong>{fn.executor}</strong> executor and
            answers with the handler's return value.
          </p>
          <div class="code-with-copy code-with-copy-stacked">
            <pre class="code-line code-wrap">
              <code>{handlerCurl(fn)}</code>
            </pre>
            <CopyButton text={handlerCurl(fn)} label="Copy" hiddenLabel=" curl command" />
          </div>
        </div>
      )}
      <p class="text-muted small">
        {fn.mode === 'script'
          ? 'Query values become the program’s arguments, in order.'
          : 'The URL routes below run the file as a script, one per executor.'}
        {fn.public ? ' This function is public: no API key is needed.' : ' Send an API key from the Account page.'}
      </p>
      <ul class="invoke-list">
        {EXECUTORS.map((name) => {
          const url = executorUrl(fn.invokeUrl, name);
          const info = executors?.find((executor) => executor.name === name);
          const curl = scriptCurl(url, fn.public);
          return (
            <li key={name} class="invoke-item">
              <div class="invoke-head">
                <h3>{name}</h3>
                {name === fn.executor && <span class="badge">default</span>}
                {info && !info.available && (
                  <span class="badge badge-warning" title={info.reason}>
                    unavailable
                  </span>
                )}
              </div>
              {info && !info.available && info.reason && <p class="text-muted small">{info.reason}</p>}
              <div class="code-with-copy">
                {/* It scrolls sideways when long: focusable, so keyboards can scroll it too. */}
                <code class="url" tabIndex={0} aria-label={`${name} URL`}>
                  {url}
                </code>
                <CopyButton text={url} label="Copy URL" hiddenLabel={` of ${name}`} />
              </div>
              {fn.mode === 'script' && (
                <div class="code-with-copy code-with-copy-stacked">
                  <pre class="code-line code-wrap">
                    <code>{curl}</code>
                  </pre>
                  <CopyButton text={curl} label="Copy curl" hiddenLabel={` command for ${name}`} />
                </div>
              )}
            </li>
          );
        })}
      </ul>
    </section>
  );
}
