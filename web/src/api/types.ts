// Shapes of the Stratus HTTP API (docs/api.md). Times are Unix milliseconds.

export interface User {
  id: string;
  email: string;
  name: string;
  emailVerified: boolean;
  createdAt: number;
}

export interface Provider {
  name: string;
  startUrl: string;
}

export interface ProvidersAnswer {
  providers: Provider[];
  requireVerifiedEmail: boolean;
}

export interface ApiKey {
  id: string;
  name: string;
  prefix: string;
  createdAt: number;
  lastUsedAt: number | null;
  revokedAt: number | null;
}

export type Runtime = 'python3.11' | 'nodejs20' | 'provided';
export type Mode = 'script' | 'handler';
export type ExecutorName = 'sandbox' | 'docker' | 'nanos';

export const RUNTIMES: readonly Runtime[] = ['python3.11', 'nodejs20', 'provided'];
export const EXECUTORS: readonly ExecutorName[] = ['sandbox', 'docker', 'nanos'];

export interface FunctionStats {
  lastInvokedAt: number | null;
  calls24h: number;
  errors24h: number;
  p50Ms: number | null;
}

export interface StratusFunction {
  id: string;
  userId: string;
  name: string;
  description: string;
  runtime: Runtime;
  handler: string;
  mode: Mode;
  executor: ExecutorName;
  timeout: number;
  memory: number;
  env: Record<string, string>;
  public: boolean;
  concurrency: number | null;
  prewarm: number;
  currentVersion: number;
  codeSha256: string;
  codeSize: number;
  createdAt: number;
  updatedAt: number;
  invokeUrl: string;
  /** Only with ?include=stats, on servers that have it. */
  stats?: FunctionStats;
}

export interface Executor {
  name: ExecutorName;
  available: boolean;
  reason?: string;
}

export interface Version {
  version: number;
  codeSha256: string;
  codeSize: number;
  createdAt: number;
}

export type InvocationStatus = 'ok' | 'error' | 'timeout' | 'killed';
export const INVOCATION_STATUSES: readonly InvocationStatus[] = ['ok', 'error', 'timeout', 'killed'];

export interface Invocation {
  id: string;
  version: number;
  executor: ExecutorName;
  startedAt: number;
  durationMs: number;
  status: InvocationStatus;
  exitCode: number | null;
  timedOut: boolean;
  coldStart: boolean;
  initDurationMs: number;
  memoryUsed: number;
  error: string;
  logExcerpt: string;
}

export interface InvocationPage {
  invocations: Invocation[];
  nextCursor: string | null;
}

export type MetricsWindow = '1h' | '24h';

export interface MetricsBucket {
  start: number;
  calls: number;
  errors: number;
  p50Ms: number | null;
  p99Ms: number | null;
}

export interface Metrics {
  window: MetricsWindow;
  from: number;
  to: number;
  bucketMs: number;
  buckets: MetricsBucket[];
}

export interface CodeFileEntry {
  path: string;
  size: number;
  binary: boolean;
}

export interface CodeListing {
  version: number;
  files: CodeFileEntry[];
}

export interface CodeFile extends CodeFileEntry {
  truncated: boolean;
  content: string;
}

/** What a script-mode function answers. */
export interface ScriptResult {
  status: number;
  stdout: string;
  stderr: string;
  timeout: boolean;
  durationMs: number;
  invocationId: string;
  stdoutTruncated?: boolean;
  stderrTruncated?: boolean;
  error?: string;
}
