// Function routes: /api/v1/functions/* and /api/v1/executors.

import { get, request, send, seg, withQuery } from './client';
import { upload, type UploadProgress } from './upload';
import type {
  CodeFile,
  CodeListing,
  Executor,
  InvocationPage,
  InvocationStatus,
  Metrics,
  MetricsWindow,
  StratusFunction,
  Version,
} from './types';

const base = (name: string) => `/api/v1/functions/${seg(name)}`;

export async function listFunctions(): Promise<StratusFunction[]> {
  return (await get<{ functions: StratusFunction[] }>('/api/v1/functions?include=stats')).functions;
}

export async function fetchFunction(name: string): Promise<StratusFunction> {
  return (await get<{ function: StratusFunction }>(base(name))).function;
}

export async function fetchExecutors(): Promise<Executor[]> {
  return (await get<{ executors: Executor[] }>('/api/v1/executors')).executors;
}

export async function createFunction(
  form: FormData,
  onProgress?: (progress: UploadProgress) => void,
  signal?: AbortSignal,
): Promise<StratusFunction> {
  const answer = await upload<{ function: StratusFunction }>({
    method: 'POST',
    path: '/api/v1/functions',
    form,
    onProgress,
    signal,
  });
  return answer.function;
}

/**
 * New code as a new version. `entry` (runtime and handler) goes with it when either
 * changes: the server checks the code against the new entry and moves both at once, so
 * the code may start in a file the old code did not have.
 */
export async function uploadCode(
  name: string,
  file: File,
  onProgress?: (progress: UploadProgress) => void,
  signal?: AbortSignal,
  entry?: { runtime: string; handler: string },
): Promise<StratusFunction> {
  const form = new FormData();
  if (entry) {
    form.append('runtime', entry.runtime);
    form.append('handler', entry.handler);
  }
  form.append('functionFile', file, file.name);
  const answer = await upload<{ function: StratusFunction }>({
    method: 'PUT',
    path: `${base(name)}/code`,
    form,
    onProgress,
    signal,
  });
  return answer.function;
}

/** The fields PATCH accepts; concurrency null clears the reservation. */
export type FunctionPatch = Partial<
  Pick<
    StratusFunction,
    | 'description'
    | 'runtime'
    | 'handler'
    | 'timeout'
    | 'memory'
    | 'public'
    | 'env'
    | 'mode'
    | 'executor'
    | 'concurrency'
  >
>;

export async function patchFunction(name: string, patch: FunctionPatch): Promise<StratusFunction> {
  return (await request<{ function: StratusFunction }>('PATCH', base(name), patch)).function;
}

export const deleteFunction = (name: string) => request<void>('DELETE', base(name));

export async function listVersions(name: string): Promise<Version[]> {
  return (await get<{ versions: Version[] }>(`${base(name)}/versions`)).versions;
}

export interface InvocationQuery {
  limit?: number;
  status?: InvocationStatus;
  before?: string;
}

export async function listInvocations(name: string, query: InvocationQuery): Promise<InvocationPage> {
  const page = await get<Partial<InvocationPage>>(
    withQuery(`${base(name)}/invocations`, { limit: query.limit ?? 50, ...query }),
  );
  // Servers before cursors existed send no nextCursor: that is a single page.
  return { invocations: page.invocations ?? [], nextCursor: page.nextCursor ?? null };
}

export const fetchMetrics = (name: string, window: MetricsWindow) =>
  get<Metrics>(withQuery(`${base(name)}/metrics`, { window }));

export const listCode = (name: string, version?: number) =>
  get<CodeListing>(withQuery(`${base(name)}/code`, { version }));

export const fetchCodeFile = (name: string, path: string, version?: number) =>
  get<CodeFile>(withQuery(`${base(name)}/code/file`, { path, version }));

/** An invoke answer with the X-Stratus-* headers that describe the run. */
export interface InvokeOutcome {
  body: unknown;
  bodyText: string;
  durationMs: number | null;
  coldStart: boolean | null;
  functionError: string | null;
  invocationId: string | null;
}

export async function invokeFunction(name: string, payload: unknown): Promise<InvokeOutcome> {
  const answer = await send('POST', `${base(name)}/invoke`, payload);
  let body: unknown = null;
  try {
    body = answer.text ? JSON.parse(answer.text) : null;
  } catch {
    body = answer.text;
  }
  const header = (key: string) => answer.headers.get(key);
  const duration = header('X-Stratus-Duration-Ms');
  const cold = header('X-Stratus-Cold-Start');
  return {
    body,
    bodyText: answer.text,
    durationMs: duration !== null && duration !== '' ? Number(duration) : null,
    coldStart: cold === null ? null : cold === 'true',
    functionError: header('X-Stratus-Function-Error'),
    invocationId: header('X-Stratus-Invocation-Id'),
  };
}
