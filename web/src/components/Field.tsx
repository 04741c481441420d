// Labelled inputs whose hint and error are tied to the control with
// aria-describedby, and which set aria-invalid when the server refused them.

import type { ComponentChildren, InputHTMLAttributes } from 'preact';
import { useId } from 'preact/hooks';

export interface FieldProps {
  label: string;
  error?: string | undefined;
  hint?: ComponentChildren;
  /** Shown after the label, e.g. "(optional)". */
  labelNote?: string;
  children: (control: ControlWiring) => ComponentChildren;
  class?: string;
}

export interface ControlWiring {
  id: string;
  'aria-invalid': 'true' | undefined;
  'aria-describedby': string | undefined;
}

export function Field({ label, error, hint, labelNote, children, class: className }: FieldProps) {
  const id = useId();
  const hintId = `${id}-hint`;
  const errorId = `${id}-error`;
  const describedBy = [hint ? hintId : '', error ? errorId : ''].filter(Boolean).join(' ');
  return (
    <div class={`field${error ? ' field-invalid' : ''}${className ? ` ${className}` : ''}`}>
      <label for={id}>
        {label}
        {labelNote && <span class="label-note"> {labelNote}</span>}
      </label>
      {children({
        id,
        'aria-invalid': error ? 'true' : undefined,
        'aria-describedby': describedBy || undefined,
      })}
      {hint && (
        <p class="hint" id={hintId}>
          {hint}
        </p>
      )}
      {error && (
        <p class="field-error" id={errorId}>
          {error}
        </p>
      )}
    </div>
  );
}

type InputProps = Omit<InputHTMLAttributes<HTMLInputElement>, 'label' | 'children' | 'value'> & {
  label: string;
  error?: string | undefined;
  hint?: ComponentChildren;
  labelNote?: string;
  value: string;
  onValue: (value: string) => void;
};

export function TextField({ label, error, hint, labelNote, value, onValue, ...rest }: InputProps) {
  return (
    <Field label={label} error={error} hint={hint} labelNote={labelNote}>
      {(wiring) => (
        <input
          {...rest}
          {...wiring}
          value={value}
          onInput={(event) => onValue((event.currentTarget as HTMLInputElement).value)}
        />
      )}
    </Field>
  );
}
