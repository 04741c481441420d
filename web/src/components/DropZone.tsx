// Code upload: a normal file input (keyboard and screen-reader friendly) inside
// an area that also accepts a dropped file.

import { useId, useRef, useState } from 'preact/hooks';
import type { JSX } from 'preact';
import { formatBytes } from '../lib/format';

export const ACCEPTED_EXTENSIONS = ['.py', '.js', '.zip'];

export function isAcceptedFile(file: File): boolean {
  const lower = file.name.toLowerCase();
  return ACCEPTED_EXTENSIONS.some((ext) => lower.endsWith(ext));
}

interface DropZoneProps {
  label: string;
  file: File | null;
  onFile: (file: File | null) => void;
  hint?: string;
  error?: string | undefined;
  disabled?: boolean;
}

export function DropZone({ label, file, onFile, hint, error, disabled }: DropZoneProps) {
  const id = useId();
  const input = useRef<HTMLInputElement>(null);
  const [dragging, setDragging] = useState(false);
  const [localError, setLocalError] = useState<string | null>(null);
  const shownError = localError ?? error;

  const take = (picked: File | null) => {
    if (picked && !isAcceptedFile(picked)) {
      setLocalError('Choose a .py or .js file, or a .zip archive.');
      onFile(null);
      return;
    }
    setLocalError(null);
    onFile(picked);
  };

  const onDrop = (event: JSX.TargetedDragEvent<HTMLDivElement>) => {
    event.preventDefault();
    setDragging(false);
    if (disabled) return;
    const files = event.dataTransfer?.files;
    if (!files || files.length === 0) return;
    // Mirror the drop into the input so it shows the same file as the drop area.
    if (input.current && event.dataTransfer) input.current.files = files;
    take(files[0] ?? null);
  };

  const clear = () => {
    if (input.current) input.current.value = '';
    take(null);
  };

  const describedBy = [`${id}-hint`, shownError ? `${id}-error` : ''].filter(Boolean).join(' ');
  return (
    <div class={`field${shownError ? ' field-invalid' : ''}`}>
      <label for={id}>{label}</label>
      <div
        class={`dropzone${dragging ? ' dropzone-active' : ''}${file ? ' dropzone-filled' : ''}`}
        onDragEnter={(event) => {
          event.preventDefault();
          if (!disabled) setDragging(true);
        }}
        onDragOver={(event) => {
          event.preventDefault();
          if (event.dataTransfer) event.dataTransfer.dropEffect = disabled ? 'none' : 'copy';
        }}
        onDragLeave={(event) => {
          // Leaving for a child element is not leaving the zone.
          if (!event.currentTarget.contains(event.relatedTarget as Node | null)) setDragging(false);
        }}
        onDrop={onDrop}
      >
        <p class="dropzone-title" aria-hidden="true">
          {file ? 'Drop another file to replace it' : 'Drop a .py, .js or .zip file here'}
        </p>
        <input
          ref={input}
          id={id}
          type="file"
          accept={ACCEPTED_EXTENSIONS.join(',')}
          disabled={disabled}
          aria-invalid={shownError ? 'true' : undefined}
          aria-describedby={describedBy}
          onChange={(event) => take(event.currentTarget.files?.[0] ?? null)}
        />
        {file && (
          <p class="dropzone-file">
            <span>
              <strong>{file.name}</strong> · {formatBytes(file.size)}
            </span>
            <button type="button" class="button button-small" onClick={clear} disabled={disabled}>
              Remove file
            </button>
          </p>
        )}
      </div>
      <p class="hint" id={`${id}-hint`}>
        {hint ?? 'A single .py or .js file, or a .zip with the entry file and its dependencies (up to 50 MB).'}
      </p>
      {shownError && (
        <p class="field-error" id={`${id}-error`}>
          {shownError}
        </p>
      )}
    </div>
  );
}
