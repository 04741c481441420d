// /functions/new and /functions/{name}/edit: one form, two ways to save.

import type { JSX } from 'preact';
import { useEffect, useId, useRef, useState } from 'preact/hooks';
import { ApiError } from '../api/client';
import {
  createFunction,
  fetchExecutors,
  fetchFunction,
  patchFunction,
  uploadCode,
} from '../api/functions';
import type { UploadProgress } from '../api/upload';
import { RUNTIMES, type Mode, type StratusFunction } from '../api/types';
import { Alert, Loading, errorMessage } from '../components/Alert';
import { DropZone } from '../components/DropZone';
import { EnvEditor } from '../components/EnvEditor';
import { ExecutorPicker } from '../components/ExecutorPicker';
import { Field, TextField } from '../components/Field';
import { ProgressBar } from '../components/ProgressBar';
import { SubmitButton } from '../components/SubmitButton';
import { fieldForErrorCode } from '../lib/fieldErrors';
import {
  emptyForm,
  formFromFunction,
  suggestionsForFile,
  toFormData,
  toPatch,
  validate,
  type FieldErrors,
  type FunctionFormValues,
} from '../lib/functionForm';
import { useAsync, useTitle } from '../lib/hooks';
import { functionPath, navigate } from '../router';
import { toast } from '../toast';

function HandlerHint({ mode, runtime }: { mode: Mode; runtime: string }) {
  if (runtime === 'provided') {
    return (
      <>
        The zip's executable <code>bootstrap</code> runs and speaks the Lambda Runtime API; the handler
        reaches it as <code>_HANDLER</code>.
      </>
    );
  }
  const ext = runtime === 'nodejs20' ? 'js' : 'py';
  return mode === 'script' ? (
    <>
      Script mode: the entry file runs as a program. <code>cloud.calculator</code> runs{' '}
      <code>cloud.{ext}</code> with the arguments as argv.
    </>
  ) : (
    <>
      Handler mode: <code>module.function</code> is called as <code>handler(event, context)</code>;{' '}
      <code>app.handler</code> calls <code>handler</code> in <code>app.{ext}</code>.
    </>
  );
}

/** Splits an API failure into a field message or a form-level one. */
function placeError(error: unknown): { field: FieldErrors; form: string | null } {
  if (error instanceof ApiError) {
    const field = fieldForErrorCode(error.code);
    if (field) return { field: { [field]: error.message }, form: null };
  }
  return { field: {}, form: errorMessage(error) };
}

interface FunctionFormPageProps {
  /** Set when editing an existing function. */
  name?: string;
}

export function FunctionFormPage({ name }: FunctionFormPageProps) {
  const editing = name !== undefined;
  const existing = useAsync(() => (name ? fetchFunction(name) : Promise.resolve(null)), [name]);
  useTitle(editing ? `Edit ${name}` : 'New function');

  if (editing && existing.loading && !existing.data) return <Loading label="Loading the function…" />;
  if (editing && existing.error !== undefined) {
    const missing = existing.error instanceof ApiError && existing.error.status === 404;
    return (
      <>
        <h1>{missing ? 'Function not found' : `Edit ${name}`}</h1>
        <Alert>{missing ? `There is no function called “${name}”.` : errorMessage(existing.error)}</Alert>
        <p>
          <a href="/functions">Back to functions</a>
        </p>
      </>
    );
  }
  return <FunctionForm original={existing.data ?? null} />;
}

function FunctionForm({ original }: { original: StratusFunction | null }) {
  const editing = original !== null;
  const executors = useAsync(fetchExecutors, []);
  const [values, setValues] = useState<FunctionFormValues>(() =>
    original ? formFromFunction(original) : emptyForm(),
  );
  // Fields the user typed in are never overwritten by suggestions from a file.
  const touched = useRef(new Set<keyof FunctionFormValues>());
  const [file, setFile] = useState<File | null>(null);
  const [errors, setErrors] = useState<FieldErrors>({});
  const [formError, setFormError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [progress, setProgress] = useState<UploadProgress | null>(null);
  const formRef = useRef<HTMLFormElement>(null);
  const publicWarningId = useId();
  const envErrorId = useId();

  const set = <K extends keyof FunctionFormValues>(key: K, value: FunctionFormValues[K]) => {
    touched.current.add(key);
    setValues((previous) => ({ ...previous, [key]: value }));
    setErrors((previous) => (previous[key as keyof FieldErrors] ? { ...previous, [key]: undefined } : previous));
  };

  // What every text field of the form shares: its value and setter, the server's or the
  // page's message for it, and being locked while a save is in flight.
  const textField = (key: 'name' | 'description' | 'handler' | 'timeout' | 'memory' | 'concurrency') => ({
    value: values[key],
    onValue: (value: string) => set(key, value),
    error: errors[key],
    disabled: busy,
  });

  const onFile = (picked: File | null) => {
    setFile(picked);
    setErrors((previous) => ({ ...previous, file: undefined }));
    if (!picked) return;
    const suggested = suggestionsForFile(picked.name, values.mode);
    setValues((previous) => {
      const next = { ...previous };
      if (!editing && suggested.name && !touched.current.has('name') && !previous.name) next.name = suggested.name;
      if (!editing && suggested.runtime && !touched.current.has('runtime')) next.runtime = suggested.runtime;
      if (suggested.handler && !touched.current.has('handler') && !previous.handler) next.handler = suggested.handler;
      return next;
    });
  };

  // Leaving the page (Cancel, Back) mid-upload stops the upload; without this a
  // finished background upload would still navigate to the function.
  const uploadAbort = useRef<AbortController | null>(null);
  useEffect(() => () => uploadAbort.current?.abort(), []);

  // After a refused submit, take keyboard focus to the first field to fix.
  const [focusTick, setFocusTick] = useState(0);
  useEffect(() => {
    if (focusTick === 0) return;
    formRef.current?.querySelector<HTMLElement>('[aria-invalid="true"]')?.focus();
  }, [focusTick]);

  const onProgress = (value: UploadProgress) => setProgress(value);

  const submit = async (event: JSX.TargetedEvent<HTMLFormElement>) => {
    event.preventDefault();
    if (busy) return;
    setFormError(null);
    const found = validate(values, { needFile: !editing, file });
    if (Object.values(found).some(Boolean)) {
      setErrors(found);
      setFocusTick((n) => n + 1);
      return;
    }
    setErrors({});
    setBusy(true);
    setProgress(null);
    const abort = new AbortController();
    uploadAbort.current = abort;
    try {
      let saved: StratusFunction;
      if (!original) {
        saved = await createFunction(toFormData(values, file as File), onProgress, abort.signal);
        toast(`Function ${saved.name} created.`, 'success');
      } else {
        saved = original;
        // Code first, then settings: the same order as `stratus deploy`. A new runtime or
        // handler travels with new code, which is checked against them.
        const patch = toPatch(values, original);
        if (file) {
          const entry = { runtime: patch.runtime ?? original.runtime, handler: patch.handler ?? original.handler };
          const entryChanged = patch.runtime !== undefined || patch.handler !== undefined;
          saved = await uploadCode(original.name, file, onProgress, abort.signal, entryChanged ? entry : undefined);
          delete patch.runtime;
          delete patch.handler;
        }
        if (Object.keys(patch).length > 0) {
          try {
            saved = await patchFunction(original.name, patch);
          } catch (error) {
            if (file) {
              // The new version is live; say so rather than imply nothing changed.
              setFile(null);
              toast(`The new code was uploaded as version ${saved.currentVersion}, but the settings were not saved.`, 'error');
            }
            throw error;
          }
        }
        toast(`Saved ${saved.name}.`, 'success');
      }
      if (abort.signal.aborted) return;
      navigate(functionPath(saved));
    } catch (error) {
      if (abort.signal.aborted) return;
      const placed = placeError(error);
      setErrors(placed.field);
      setFormError(placed.form);
      setFocusTick((n) => n + 1);
      setBusy(false);
      setProgress(null);
    }
  };

  const heading = original ? `Edit ${original.name}` : 'New function';
  return (
    <>
      <nav aria-label="Breadcrumb" class="breadcrumb">
        <a href="/functions">Functions</a>
        {original && (
          <>
            <span aria-hidden="true"> / </span>
            <a href={functionPath(original)}>{original.name}</a>
          </>
        )}
      </nav>
      <h1>{heading}</h1>
      <form ref={formRef} class="function-form" onSubmit={submit} noValidate>
        {formError && (
          <Alert title={original ? 'The function was not saved' : 'The function was not created'}>
            {formError}
          </Alert>
        )}

        <section class="form-section" aria-labelledby="section-code">
          <h2 id="section-code">Code</h2>
          <DropZone
            label="Code file"
            file={file}
            onFile={onFile}
            error={errors.file}
            disabled={busy}
            hint={
              original
                ? `Leave empty to keep version ${original.currentVersion}. A new file becomes version ${original.currentVersion + 1}.`
                : undefined
            }
          />
        </section>

        <section class="form-section" aria-labelledby="section-basics">
          <h2 id="section-basics">Basics</h2>
          <div class="grid-2">
            <TextField
              label="Name"
              {...textField('name')}
              readOnly={editing}
              hint={editing ? 'A function keeps its name.' : 'Letters, digits, - and _; part of its URL.'}
              autoComplete="off"
              spellcheck={false}
              required
            />
            <Field label="Runtime" error={errors.runtime}>
              {(wiring) => (
                <select
                  {...wiring}
                  value={values.runtime}
                  disabled={busy}
                  onChange={(event) => set('runtime', event.currentTarget.value as FunctionFormValues['runtime'])}
                >
                  {RUNTIMES.map((runtime) => (
                    <option value={runtime} key={runtime}>
                      {runtime}
                    </option>
                  ))}
                </select>
              )}
            </Field>
          </div>
          <TextField
            label="Description"
            labelNote="(optional)"
            {...textField('description')}
          />
          {/* A select rather than radios: radio labels "Script"/"Handler" would
              collide with the Handler field's label for anyone finding fields by label. */}
          <Field label="Mode" error={errors.mode}>
            {(wiring) => (
              <select
                {...wiring}
                value={values.mode}
                disabled={busy}
                onChange={(event) => set('mode', event.currentTarget.value as Mode)}
              >
                <option value="script">script: run the entry file as a program</option>
                <option value="handler">handler: call module.function(event, context)</option>
              </select>
            )}
          </Field>
          <TextField
            label="Handler"
            {...textField('handler')}
            placeholder={values.mode === 'script' ? 'cloud.calculator' : 'app.handler'}
            hint={<HandlerHint mode={values.mode} runtime={values.runtime} />}
            autoComplete="off"
            spellcheck={false}
          />
        </section>

        <section class="form-section" aria-labelledby="section-resources">
          <h2 id="section-resources">Resources</h2>
          <div class="grid-3">
            <TextField
              label="Timeout (seconds)"
              inputMode="numeric"
              {...textField('timeout')}
              hint="1 to 900."
            />
            <TextField
              label="Memory (MB)"
              inputMode="numeric"
              {...textField('memory')}
              hint="128 to 10240."
            />
            <TextField
              label="Reserved concurrency"
              inputMode="numeric"
              {...textField('concurrency')}
              placeholder="Unreserved"
              hint="Blank means unreserved; otherwise 1 to 1000 instances at once."
            />
          </div>
          <ExecutorPicker
            value={values.executor}
            stored={original?.executor}
            executors={executors.data}
            unknown={executors.error !== undefined}
            onChange={(value) => set('executor', value)}
            error={errors.executor}
            disabled={busy}
          />
          <EnvEditor
            rows={values.env}
            onChange={(rows) => set('env', rows)}
            error={errors.env}
            errorId={envErrorId}
            disabled={busy}
          />
        </section>

        <section class="form-section" aria-labelledby="section-access">
          <h2 id="section-access">Access</h2>
          <div class={`check-row${values.public ? ' check-row-warning' : ''}`}>
            <input
              type="checkbox"
              id="function-public"
              checked={values.public}
              disabled={busy}
              aria-describedby={publicWarningId}
              onChange={(event) => set('public', event.currentTarget.checked)}
            />
            <div>
              <label for="function-public">Public</label>
              <p id={publicWarningId} class={values.public ? 'text-warning' : 'hint'}>
                {values.public
                  ? 'Warning: anyone with the URL can run this function, without signing in or an API key.'
                  : 'Off: only you (signed in, or with one of your API keys) can run it.'}
              </p>
            </div>
          </div>
        </section>

        {/* Next to the button that started it, where the user is looking. */}
        {progress && <ProgressBar label="Uploading" loaded={progress.loaded} total={progress.total} />}
        <div class="form-actions">
          <SubmitButton busy={busy}>{original ? 'Save changes' : 'Create function'}</SubmitButton>
          <a class="button" href={original ? functionPath(original) : '/functions'}>
            Cancel
          </a>
        </div>
      </form>
    </>
  );
}
