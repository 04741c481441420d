import { formatBytes } from '../lib/format';

interface ProgressBarProps {
  label: string;
  loaded: number;
  total: number;
}

export function ProgressBar({ label, loaded, total }: ProgressBarProps) {
  const percent = total > 0 ? Math.round((loaded / total) * 100) : 0;
  return (
    <div class="progress">
      <label>
        <span class="progress-label">
          {label}: {percent}% ({formatBytes(loaded)} of {formatBytes(total)})
        </span>
        <progress max={100} value={percent} />
      </label>
    </div>
  );
}
