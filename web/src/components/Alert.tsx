import type { ComponentChildren } from 'preact';
import { ApiError } from '../api/client';

/** Words for any failure a page can catch. */
export function errorMessage(error: unknown): string {
  if (error instanceof ApiError && error.code === 'email_not_verified') {
    return 'Verify your email address first: follow the link we mailed you, or ask for a new one with Resend.';
  }
  if (error instanceof ApiError) return error.message;
  if (error instanceof Error) return error.message;
  return 'Something went wrong.';
}

interface AlertProps {
  kind?: 'error' | 'info' | 'success' | 'warning';
  title?: string;
  children: ComponentChildren;
  id?: string;
}

/**
 * Errors use role="alert" so they are read out as soon as they appear; other
 * notes are plain status text, read when the user reaches them.
 */
export function Alert({ kind = 'error', title, children, id }: AlertProps) {
  return (
    <div class={`alert alert-${kind}`} role={kind === 'error' ? 'alert' : 'status'} id={id}>
      {title && <p class="alert-title">{title}</p>}
      <div>{children}</div>
    </div>
  );
}

export function Loading({ label = 'Loading…' }: { label?: string }) {
  return (
    <p class="loading" role="status">
      <span class="spinner" aria-hidden="true" />
      {label}
    </p>
  );
}
