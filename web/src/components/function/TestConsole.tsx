// Runs the function once from the browser, through POST .../invoke, and shows
// what came back the way the CLI would: status, output, duration, cold start.

import type { JSX } from 'preact';
import { useId, useState } from 'preact/hooks';
import { invokeFunction, type InvokeOutcome } from '../../api/functions';
import type { ScriptResult, StratusFunction } from '../../api/types';
import { parseArgs } from '../../lib/args';
import { formatDuration } from '../../lib/format';
import { Alert, errorMessage } from '../Alert';
import { Field } from '../Field';
import { SubmitButton } from '../SubmitButton';

interface TestConsoleProps {
  fn: StratusFunction;
  /** Called after every run that reached the function, so history can refresh. */
  onRan: () => void;
}

interface Run {
  outcome: InvokeOutcome;
  mode: 'script' | 'handler';
}

function isScriptResult(body: unknown): body is ScriptResult {
  return typeof body === 'object' && body !== null && 'status' in body && 'stdout' in body;
}

function pretty(value: unknown): string {
  if (typeof value === 'string') return value;
  return JSON.stringify(value, null, 2) ?? 'null';
}

function Output({ title, text, truncated }: { title: string; text: string; truncated?: boolean | undefined }) {
  return (
    <div class="output">
      <h4>
        {title}
        {truncated && <span class="badge badge-warning">truncated at 1 MB</span>}
      </h4>
      {text ? <pre class="output-text">{text}</pre> : <p class="text-muted small">(empty)</p>}
    </div>
  );
}

interface LambdaError {
  errorType: string;
  errorMessage: string;
  stackTrace?: string[];
}

function isLambdaError(body: unknown): body is LambdaError {
  return typeof body === 'object' && body !== null && 'errorType' in body && 'errorMessage' in body;
}

/** Lambda's error object read like a traceback rather than as escaped JSON. */
function HandlerError({ error }: { error: LambdaError }) {
  const trace = (error.stackTrace ?? []).join('').trimEnd();
  return (
    <div class="output">
      <h4>Error</h4>
      <pre class="output-text output-error">
        {`${error.errorType}: ${error.errorMessage}`}
        {trace ? `\n\n${trace}` : ''}
      </pre>
    </div>
  );
}

function RunResult({ run }: { run: Run }) {
  const { outcome } = run;
  const body = outcome.body;
  const script = run.mode === 'script' && isScriptResult(body) ? body : null;
  const duration = outcome.durationMs ?? script?.durationMs ?? null;

  let statusText: string;
  let ok: boolean;
  if (script) {
    ok = script.status === 0 && !script.timeout && !script.error;
    statusText = script.timeout ? 'Timed out' : `Exit code ${script.status}`;
    if (script.error && !script.timeout) statusText += ` (${script.error})`;
  } else {
    ok = !outcome.functionError;
    statusText = outcome.functionError ? `Error: ${outcome.functionError}` : 'OK';
  }

  return (
    <div class="run-result">
      {/* A live region, so the outcome of a run is announced without moving focus. */}
      <div role="status" aria-label="Run result">
      <dl class="run-facts">
        <div>
          <dt>Status</dt>
          <dd>
            <span class={`status-pill ${ok ? 'status-ok' : 'status-error'}`}>{statusText}</span>
          </dd>
        </div>
        <div>
          <dt>Duration</dt>
          <dd>{formatDuration(duration)}</dd>
        </div>
        <div>
          <dt>Cold start</dt>
          <dd>{outcome.coldStart === null ? '—' : outcome.coldStart ? 'Yes' : 'No'}</dd>
        </div>
      </dl>
      </div>
      {script ? (
        <>
          <Output title="stdout" text={script.stdout} truncated={script.stdoutTruncated} />
          <Output title="stderr" text={script.stderr} truncated={script.stderrTruncated} />
        </>
      ) : outcome.functionError && isLambdaError(body) ? (
        <HandlerError error={body} />
      ) : (
        <Output title={outcome.functionError ? 'Error' : 'Returned JSON'} text={pretty(body)} />
      )}
    </div>
  );
}

export function TestConsole({ fn, onRan }: TestConsoleProps) {
  const [argsText, setArgsText] = useState('');
  const [eventText, setEventText] = useState('{}');
  const [eventError, setEventError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [run, setRun] = useState<Run | null>(null);
  const [failure, setFailure] = useState<string | null>(null);
  const headingId = useId();

  const submit = async (event: JSX.TargetedEvent<HTMLFormElement>) => {
    event.preventDefault();
    let payload: unknown;
    if (fn.mode === 'script') {
      payload = { args: parseArgs(argsText) };
    } else {
      try {
        payload = eventText.trim() ? JSON.parse(eventText) : {};
        setEventError(null);
      } catch (error) {
        setEventError(`Not valid JSON: ${error instanceof Error ? error.message : 'parse error'}`);
        return;
      }
    }
    setBusy(true);
    setFailure(null);
    try {
      const outcome = await invokeFunction(fn.name, payload);
      setRun({ outcome, mode: fn.mode });
      onRan();
    } catch (error) {
      setRun(null);
      setFailure(errorMessage(error));
      onRan();
    } finally {
      setBusy(false);
    }
  };

  return (
    <section class="card" aria-labelledby={headingId}>
      <h2 id={headingId}>Test</h2>
      <form onSubmit={submit} class="test-form">
        {fn.mode === 'script' ? (
          <Field label="Arguments" hint={<>Space-separated, e.g. <code>10 5</code>; quote an argument that contains spaces.</>}>
            {(wiring) => (
              <input
                {...wiring}
                value={argsText}
                placeholder="10 5"
                spellcheck={false}
                autoComplete="off"
                onInput={(event) => setArgsText(event.currentTarget.value)}
              />
            )}
          </Field>
        ) : (
          <Field label="Event (JSON)" error={eventError ?? undefined} hint="Any JSON value; empty means {}.">
            {(wiring) => (
              <textarea
                {...wiring}
                class="code-input"
                rows={6}
                value={eventText}
                spellcheck={false}
                onInput={(event) => {
                  setEventText(event.currentTarget.value);
                  if (eventError) setEventError(null);
                }}
              />
            )}
          </Field>
        )}
        <div>
          <SubmitButton busy={busy}>Run</SubmitButton>
        </div>
      </form>
      {failure && <Alert title="The call failed">{failure}</Alert>}
      {run && <RunResult run={run} />}
    </section>
  );
}
