// Executor radio buttons. Availability comes from GET /api/v1/executors; on a
// server without that route every choice stays enabled and the server decides.

import { useId } from 'preact/hooks';
import { EXECUTORS, type Executor, type ExecutorName } from '../api/types';

const DESCRIPTIONS: Record<ExecutorName, string> = {
  sandbox: 'Linux namespaces and cgroups on this host. Fastest start.',
  docker: 'A warm Docker container per instance.',
  nanos: 'A Nanos unikernel micro-VM per instance. Strongest isolation.',
};

interface ExecutorPickerProps {
  value: ExecutorName;
  /** The stored executor stays selectable even if the server lost it. */
  stored?: ExecutorName | undefined;
  executors: Executor[] | undefined;
  unknown: boolean;
  onChange: (value: ExecutorName) => void;
  error?: string | undefined;
  disabled?: boolean;
}

export function ExecutorPicker(props: ExecutorPickerProps) {
  const { value, stored, executors, unknown, onChange, error, disabled } = props;
  const id = useId();
  const errorId = `${id}-error`;
  return (
    <fieldset
      class={`fieldset${error ? ' field-invalid' : ''}`}
      aria-describedby={error ? errorId : undefined}
    >
      <legend>Executor</legend>
      <div class="choice-list">
        {EXECUTORS.map((name) => {
          const info = executors?.find((executor) => executor.name === name);
          const unavailable = info !== undefined && !info.available;
          const reasonId = `${id}-${name}-reason`;
          return (
            <div class={`choice${unavailable ? ' choice-disabled' : ''}`} key={name}>
              <input
                type="radio"
                name={`${id}-executor`}
                id={`${id}-${name}`}
                value={name}
                checked={value === name}
                disabled={disabled || (unavailable && stored !== name)}
                aria-invalid={error ? 'true' : undefined}
                aria-describedby={reasonId}
                onChange={() => onChange(name)}
              />
              <label for={`${id}-${name}`}>
                <span class="choice-name">{name}</span>
              </label>
              <span class="choice-note" id={reasonId}>
                {unavailable ? (
                  <span class="text-warning">Unavailable: {info?.reason || 'not set up on this server'}</span>
                ) : (
                  DESCRIPTIONS[name]
                )}
              </span>
            </div>
          );
        })}
      </div>
      {unknown && (
        <p class="hint">This server does not say which executors it has; an unavailable one is refused when the function runs.</p>
      )}
      {error && (
        <p class="field-error" id={errorId}>
          {error}
        </p>
      )}
    </fieldset>
  );
}
