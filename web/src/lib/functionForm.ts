// The create/edit form as plain data: defaults, client-side checks that mirror
// the server's (so most mistakes are caught before a 50 MB upload), and the
// conversion to the multipart upload or the PATCH body.

import type { FunctionPatch } from '../api/functions';
import type { ExecutorName, Mode, Runtime, StratusFunction } from '../api/types';
import type { FunctionField } from './fieldErrors';

export interface EnvRow {
  key: string;
  value: string;
}

export interface FunctionFormValues {
  name: string;
  description: string;
  runtime: Runtime;
  handler: string;
  mode: Mode;
  timeout: string;
  memory: string;
  env: EnvRow[];
  concurrency: string;
  executor: ExecutorName;
  public: boolean;
}

export type FieldErrors = Partial<Record<FunctionField, string>>;

export const NAME_PATTERN = /^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$/;

export function emptyForm(): FunctionFormValues {
  return {
    name: '',
    description: '',
    runtime: 'python3.11',
    handler: '',
    mode: 'script',
    timeout: '3',
    memory: '128',
    env: [],
    concurrency: '',
    executor: 'sandbox',
    public: false,
  };
}

export function formFromFunction(fn: StratusFunction): FunctionFormValues {
  return {
    name: fn.name,
    description: fn.description,
    runtime: fn.runtime,
    handler: fn.handler,
    mode: fn.mode,
    timeout: String(fn.timeout),
    memory: String(fn.memory),
    env: Object.entries(fn.env ?? {}).map(([key, value]) => ({ key, value })),
    concurrency: fn.concurrency === null ? '' : String(fn.concurrency),
    executor: fn.executor,
    public: fn.public,
  };
}

/** What a dropped file suggests for the fields the user has not filled in. */
export function suggestionsForFile(fileName: string, mode: Mode): Partial<FunctionFormValues> {
  const lower = fileName.toLowerCase();
  const stem = fileName.replace(/\.[^.]+$/, '');
  const suggested: Partial<FunctionFormValues> = {};
  const cleanName = stem.replace(/[^A-Za-z0-9_-]+/g, '-').replace(/^[-_]+/, '').slice(0, 64);
  if (cleanName) suggested.name = cleanName;
  if (lower.endsWith('.py')) suggested.runtime = 'python3.11';
  if (lower.endsWith('.js')) suggested.runtime = 'nodejs20';
  if ((lower.endsWith('.py') || lower.endsWith('.js')) && /^[A-Za-z_][\w-]*$/.test(stem)) {
    suggested.handler = `${stem}.${mode === 'script' ? 'main' : 'handler'}`;
  }
  return suggested;
}

function wholeNumberIn(text: string, min: number, max: number): boolean {
  if (!/^\d+$/.test(text.trim())) return false;
  const n = Number(text.trim());
  return n >= min && n <= max;
}

export function validate(values: FunctionFormValues, opts: { needFile: boolean; file: File | null }): FieldErrors {
  const errors: FieldErrors = {};
  if (opts.needFile && !opts.file) errors.file = 'Choose a .py, .js or .zip file to upload.';
  if (!NAME_PATTERN.test(values.name.trim())) {
    errors.name = 'Use 1–64 letters, digits, - or _, starting with a letter or digit.';
  }
  const handler = values.handler.trim();
  if (handler && !/^[^\s.][^\s]*\.[^\s.]+$/.test(handler)) {
    errors.handler = 'Write it as module.function, for example cloud.calculator.';
  }
  if (!wholeNumberIn(values.timeout, 1, 900)) errors.timeout = 'A whole number of seconds from 1 to 900.';
  if (!wholeNumberIn(values.memory, 128, 10240)) errors.memory = 'A whole number of MB from 128 to 10240.';
  if (values.concurrency.trim() && !wholeNumberIn(values.concurrency, 1, 1000)) {
    errors.concurrency = 'Leave blank for unreserved, or a whole number from 1 to 1000.';
  }
  const seen = new Set<string>();
  for (const row of values.env) {
    const key = row.key.trim();
    if (!key && !row.value) continue;
    if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(key)) {
      errors.env = `“${key || '(empty)'}” is not a valid variable name: letters, digits and _, not starting with a digit.`;
      break;
    }
    if (seen.has(key)) {
      errors.env = `${key} is set twice.`;
      break;
    }
    seen.add(key);
  }
  return errors;
}

export function envObject(rows: EnvRow[]): Record<string, string> {
  const env: Record<string, string> = {};
  for (const row of rows) {
    const key = row.key.trim();
    if (key) env[key] = row.value;
  }
  return env;
}

export function toFormData(values: FunctionFormValues, file: File): FormData {
  const form = new FormData();
  form.append('functionFile', file, file.name);
  form.append('name', values.name.trim());
  form.append('description', values.description.trim());
  form.append('runtime', values.runtime);
  if (values.handler.trim()) form.append('handler', values.handler.trim());
  form.append('mode', values.mode);
  form.append('timeout', values.timeout.trim());
  form.append('memory', values.memory.trim());
  form.append('env', JSON.stringify(envObject(values.env)));
  // Absent means unreserved.
  if (values.concurrency.trim()) form.append('concurrency', values.concurrency.trim());
  form.append('executor', values.executor);
  form.append('public', values.public ? 'true' : 'false');
  return form;
}

function sameEnv(a: Record<string, string>, b: Record<string, string>): boolean {
  const keys = Object.keys(a);
  return keys.length === Object.keys(b).length && keys.every((key) => b[key] === a[key]);
}

/**
 * Only the fields that changed: PATCH re-checks the entry file when runtime or
 * handler are sent, so resending unchanged ones could fail for no reason.
 */
export function toPatch(values: FunctionFormValues, original: StratusFunction): FunctionPatch {
  const patch: FunctionPatch = {};
  const description = values.description.trim();
  if (description !== original.description) patch.description = description;
  if (values.runtime !== original.runtime) patch.runtime = values.runtime;
  const handler = values.handler.trim();
  if (handler && handler !== original.handler) patch.handler = handler;
  if (values.mode !== original.mode) patch.mode = values.mode;
  if (Number(values.timeout) !== original.timeout) patch.timeout = Number(values.timeout);
  if (Number(values.memory) !== original.memory) patch.memory = Number(values.memory);
  const env = envObject(values.env);
  if (!sameEnv(env, original.env ?? {})) patch.env = env;
  const concurrency = values.concurrency.trim() ? Number(values.concurrency) : null;
  if (concurrency !== original.concurrency) patch.concurrency = concurrency;
  if (values.executor !== original.executor) patch.executor = values.executor;
  if (values.public !== original.public) patch.public = values.public;
  return patch;
}
