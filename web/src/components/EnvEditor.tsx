// Environment variables as key/value rows; each input has its own accessible
// name ("Name of variable 2") since the visible column headings are not labels.

import type { EnvRow } from '../lib/functionForm';

interface EnvEditorProps {
  rows: EnvRow[];
  onChange: (rows: EnvRow[]) => void;
  error?: string | undefined;
  errorId: string;
  disabled?: boolean;
}

export function EnvEditor({ rows, onChange, error, errorId, disabled }: EnvEditorProps) {
  const update = (index: number, change: Partial<EnvRow>) =>
    onChange(rows.map((row, i) => (i === index ? { ...row, ...change } : row)));
  const remove = (index: number) => onChange(rows.filter((_, i) => i !== index));
  const invalid = error ? 'true' : undefined;
  const describedBy = error ? errorId : undefined;

  return (
    <fieldset class={`fieldset${error ? ' field-invalid' : ''}`} aria-describedby={describedBy}>
      <legend>Environment variables</legend>
      {rows.length === 0 && <p class="text-muted small">None. Names such as PATH, LD_* and AWS_* are reserved.</p>}
      {rows.length > 0 && (
        <ul class="env-rows">
          {rows.map((row, index) => (
            <li class="env-row" key={index}>
              <input
                aria-label={`Name of variable ${index + 1}`}
                placeholder="NAME"
                value={row.key}
                spellcheck={false}
                autoCapitalize="characters"
                autoComplete="off"
                aria-invalid={invalid}
                aria-describedby={describedBy}
                disabled={disabled}
                onInput={(event) => update(index, { key: event.currentTarget.value })}
              />
              <input
                aria-label={`Value of variable ${index + 1}`}
                placeholder="value"
                value={row.value}
                spellcheck={false}
                autoComplete="off"
                disabled={disabled}
                onInput={(event) => update(index, { value: event.currentTarget.value })}
              />
              <button
                type="button"
                class="button button-small"
                aria-label={`Remove variable ${index + 1}`}
                onClick={() => remove(index)}
                disabled={disabled}
              >
                Remove
              </button>
            </li>
          ))}
        </ul>
      )}
      <button
        type="button"
        class="button button-small"
        onClick={() => onChange([...rows, { key: '', value: '' }])}
        disabled={disabled}
      >
        Add variable
      </button>
      {error && (
        <p class="field-error" id={errorId}>
          {error}
        </p>
      )}
    </fieldset>
  );
}
