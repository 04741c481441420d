// Calls/errors and p50/p99 duration over the last hour or day, from
// GET .../metrics. Each chart carries a sentence that says what it shows.

import { useMemo, useRef, useState } from 'preact/hooks';
import type uPlot from 'uplot';
import { ApiError } from '../../api/client';
import { fetchMetrics } from '../../api/functions';
import type { Metrics, MetricsWindow } from '../../api/types';
import { formatDuration, plural } from '../../lib/format';
import { useAsync } from '../../lib/hooks';
import { Alert, Loading, errorMessage } from '../Alert';
import { Chart, type ChartSeries } from './Chart';

const WINDOWS: { value: MetricsWindow; label: string; phrase: string }[] = [
  { value: '1h', label: '1 h', phrase: 'in the last hour' },
  { value: '24h', label: '24 h', phrase: 'in the last 24 hours' },
];

const CALL_SERIES: ChartSeries[] = [
  { label: 'Calls', colorVar: '--chart-1', kind: 'bars' },
  { label: 'Errors', colorVar: '--chart-error', kind: 'bars' },
];
const DURATION_SERIES: ChartSeries[] = [
  { label: 'p50', colorVar: '--chart-1', kind: 'line', unit: ' ms' },
  { label: 'p99', colorVar: '--chart-2', kind: 'line', unit: ' ms' },
];

function summarise(metrics: Metrics, phrase: string) {
  let calls = 0;
  let errors = 0;
  let worstP99: number | null = null;
  const p50s: number[] = [];
  for (const bucket of metrics.buckets) {
    calls += bucket.calls;
    errors += bucket.errors;
    if (bucket.p99Ms !== null) worstP99 = Math.max(worstP99 ?? 0, bucket.p99Ms);
    if (bucket.p50Ms !== null) p50s.push(bucket.p50Ms);
  }
  const medianOfP50 = p50s.length ? [...p50s].sort((a, b) => a - b)[Math.floor(p50s.length / 2)] ?? null : null;
  return {
    calls: `${plural(calls, 'call')}, ${plural(errors, 'error')} ${phrase}.`,
    duration:
      medianOfP50 === null
        ? `No durations ${phrase}.`
        : `Typical p50 duration ${formatDuration(medianOfP50)}, highest p99 ${formatDuration(worstP99)} ${phrase}.`,
  };
}

export function MetricsCharts({ name, refreshKey }: { name: string; refreshKey: number }) {
  const [range, setRange] = useState<MetricsWindow>('1h');
  // A server without the metrics route will not grow one between two test runs:
  // remember the 404 instead of asking again after every run.
  const missingRoute = useRef<ApiError | null>(null);
  const metrics = useAsync(async () => {
    if (missingRoute.current) throw missingRoute.current;
    try {
      return await fetchMetrics(name, range);
    } catch (error) {
      if (error instanceof ApiError && error.isMissingRoute) missingRoute.current = error;
      throw error;
    }
  }, [name, range, refreshKey]);
  const phrase = WINDOWS.find((item) => item.value === range)?.phrase ?? '';

  const data = useMemo(() => {
    const buckets = metrics.data?.buckets ?? [];
    const x = buckets.map((bucket) => bucket.start / 1000);
    return {
      calls: [x, buckets.map((b) => b.calls), buckets.map((b) => b.errors)] as uPlot.AlignedData,
      duration: [x, buckets.map((b) => b.p50Ms), buckets.map((b) => b.p99Ms)] as uPlot.AlignedData,
    };
  }, [metrics.data]);

  const unavailable = metrics.error instanceof ApiError && metrics.error.isMissingRoute;
  const summary = metrics.data ? summarise(metrics.data, phrase) : null;

  return (
    <section class="card" aria-labelledby="metrics-title">
      <div class="card-header">
        <h2 id="metrics-title">Activity</h2>
        <div class="segmented" role="group" aria-label="Time window">
          {WINDOWS.map((item) => (
            <button
              type="button"
              key={item.value}
              class="segment"
              aria-pressed={range === item.value ? 'true' : 'false'}
              onClick={() => setRange(item.value)}
            >
              {item.label}
            </button>
          ))}
        </div>
      </div>
      {unavailable && <p class="text-muted">Charts unavailable: this server does not report metrics yet.</p>}
      {metrics.error !== undefined && !unavailable && (
        <Alert>Could not load metrics: {errorMessage(metrics.error)}</Alert>
      )}
      {metrics.loading && !metrics.data && metrics.error === undefined && <Loading label="Loading metrics…" />}
      {summary && (
        <div class="charts">
          <figure class="chart-figure">
            <figcaption>Calls and errors</figcaption>
            <p class="visually-hidden">{summary.calls}</p>
            <Chart data={data.calls} series={CALL_SERIES} ariaLabel={`Calls and errors chart: ${summary.calls}`} />
          </figure>
          <figure class="chart-figure">
            <figcaption>Duration (p50 and p99)</figcaption>
            <p class="visually-hidden">{summary.duration}</p>
            <Chart
              data={data.duration}
              series={DURATION_SERIES}
              ariaLabel={`Duration chart: ${summary.duration}`}
            />
          </figure>
        </div>
      )}
    </section>
  );
}
