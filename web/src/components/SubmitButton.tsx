import type { ComponentChildren } from 'preact';

interface SubmitButtonProps {
  busy: boolean;
  children: ComponentChildren;
  class?: string;
  disabled?: boolean;
}

/**
 * The label never changes while busy (a spinner shows instead), so the button
 * keeps its accessible name for screen readers and for tests that find it by name.
 */
export function SubmitButton({ busy, children, class: className, disabled }: SubmitButtonProps) {
  return (
    <button
      type="submit"
      class={`button button-primary ${className ?? ''}`}
      disabled={busy || disabled}
      aria-busy={busy ? 'true' : undefined}
    >
      {busy && <span class="spinner spinner-inline" aria-hidden="true" />}
      {children}
    </button>
  );
}
