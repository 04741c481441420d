// The one place that talks HTTP to the Stratus server. Every other module gets
// typed values back or an ApiError; none of them reads cookies or status codes.

/** A failed request, in the server's own terms ({"error":{"code","message"}}). */
export class ApiError extends Error {
  readonly status: number;
  readonly code: string;
  /** Seconds from a Retry-After header (429), when the server sent one. */
  readonly retryAfter: number | null;

  constructor(status: number, code: string, message: string, retryAfter: number | null = null) {
    super(message);
    this.name = 'ApiError';
    this.status = status;
    this.code = code;
    this.retryAfter = retryAfter;
  }

  /**
   * The endpoint does not exist on this server yet (an older build): the router's
   * own 404 or 405, as opposed to a 404 about a missing function.
   */
  get isMissingRoute(): boolean {
    return (this.status === 404 && this.code === 'not_found') || this.status === 405;
  }
}

const CSRF_COOKIE = 'stratus_csrf';

/**
 * The session cookie is HttpOnly; its twin stratus_csrf is readable on purpose so
 * that a page of ours can prove it is same-origin by echoing it in a header.
 */
export function csrfToken(): string {
  for (const part of document.cookie.split(';')) {
    const [name, ...rest] = part.trim().split('=');
    if (name === CSRF_COOKIE) return decodeURIComponent(rest.join('='));
  }
  return '';
}

function isSafeMethod(method: string): boolean {
  return method === 'GET' || method === 'HEAD';
}

/** Builds an ApiError from any answer, including a proxy's HTML error page. */
export function errorFromBody(status: number, text: string, retryAfter: string | null): ApiError {
  const seconds = retryAfter !== null && /^\d+$/.test(retryAfter) ? Number(retryAfter) : null;
  try {
    const body = JSON.parse(text) as { error?: { code?: unknown; message?: unknown } };
    const code = typeof body.error?.code === 'string' ? body.error.code : `http_${status}`;
    const message =
      typeof body.error?.message === 'string' ? body.error.message : `Request failed (${status})`;
    return new ApiError(status, code, message, seconds);
  } catch {
    const message =
      status >= 500
        ? 'The server could not answer. Try again in a moment.'
        : `Request failed (${status})`;
    return new ApiError(status, `http_${status}`, message, seconds);
  }
}

/**
 * Called when a request that carried the session cookie is answered 401: the
 * session expired or was ended elsewhere. session.ts sets it (a callback, not an
 * import, so the client does not depend on the UI state).
 */
let onSessionLost: (() => void) | null = null;

export function setSessionLostHandler(handler: () => void): void {
  onSessionLost = handler;
}

function isAuthRoute(path: string): boolean {
  return path.startsWith('/api/v1/auth/');
}

export function noteUnauthenticated(status: number, path: string): void {
  if (status === 401 && !isAuthRoute(path) && onSessionLost) onSessionLost();
}

export interface RawResponse {
  status: number;
  headers: Headers;
  text: string;
}

/**
 * Sends a request with the session cookie and, for writes, the CSRF token.
 * Non-2xx answers become ApiError; network failures too (status 0), so callers
 * handle one kind of failure.
 */
export async function send(method: string, path: string, body?: unknown): Promise<RawResponse> {
  const headers: Record<string, string> = { Accept: 'application/json' };
  if (!isSafeMethod(method)) {
    const token = csrfToken();
    if (token) headers['X-CSRF-Token'] = token;
  }
  let payload: string | undefined;
  if (body !== undefined) {
    headers['Content-Type'] = 'application/json';
    payload = JSON.stringify(body);
  }
  let response: Response;
  try {
    response = await fetch(path, { method, headers, body: payload, credentials: 'same-origin' });
  } catch {
    throw new ApiError(0, 'network_error', 'Cannot reach the server. Check your connection.');
  }
  const text = await response.text();
  if (!response.ok) {
    noteUnauthenticated(response.status, path);
    throw errorFromBody(response.status, text, response.headers.get('Retry-After'));
  }
  return { status: response.status, headers: response.headers, text };
}

/** send() for JSON answers; a 204 (or any empty body) resolves to undefined. */
export async function request<T>(method: string, path: string, body?: unknown): Promise<T> {
  const answer = await send(method, path, body);
  return (answer.text ? JSON.parse(answer.text) : undefined) as T;
}

export const get = <T>(path: string) => request<T>('GET', path);

/** Encodes a path segment such as a function name, which may come from a URL. */
export const seg = (value: string) => encodeURIComponent(value);

/** Builds "path?a=1&b=2", leaving out undefined and empty values. */
export function withQuery(path: string, query: Record<string, string | number | undefined>): string {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query)) {
    if (value !== undefined && value !== '') params.set(key, String(value));
  }
  const text = params.toString();
  return text ? `${path}?${text}` : path;
}
