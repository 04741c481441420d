// A thin uPlot wrapper: creates the plot once, feeds it new data, follows the
// container's width, and takes its colours from the CSS theme so it matches
// light and dark mode.

import { useEffect, useRef } from 'preact/hooks';
import uPlot from 'uplot';

export interface ChartSeries {
  label: string;
  /** A CSS custom property holding the colour, e.g. --chart-1. */
  colorVar: string;
  kind: 'line' | 'bars';
  unit?: string;
}

interface ChartProps {
  /** [timestamps in seconds, ...one array per series]. */
  data: uPlot.AlignedData;
  series: ChartSeries[];
  /** The chart's text alternative; the canvas itself says nothing to assistive tech. */
  ariaLabel: string;
  height?: number;
}

function cssVar(name: string, fallback: string): string {
  const value = getComputedStyle(document.documentElement).getPropertyValue(name).trim();
  return value || fallback;
}

function buildOptions(series: ChartSeries[], width: number, height: number): uPlot.Options {
  const axisColor = cssVar('--text-muted', '#666');
  const gridColor = cssVar('--border', '#ddd');
  const axis: uPlot.Axis = {
    stroke: axisColor,
    grid: { stroke: gridColor, width: 1 },
    ticks: { stroke: gridColor, width: 1 },
  };
  const bars = uPlot.paths.bars?.({ size: [0.7, 40] });
  return {
    width,
    height,
    cursor: { drag: { x: false, y: false } },
    legend: { show: true },
    scales: { x: { time: true }, y: { range: (_u, _min, max) => [0, max > 0 ? max * 1.1 : 1] } },
    axes: [axis, { ...axis, size: 50 }],
    series: [
      {},
      ...series.map((item): uPlot.Series => {
        const color = cssVar(item.colorVar, '#2f5bea');
        return {
          label: item.label,
          stroke: color,
          width: item.kind === 'line' ? 2 : 1,
          fill: item.kind === 'bars' ? color : undefined,
          paths: item.kind === 'bars' ? bars : undefined,
          // Lines get dots: a minute with calls between two without has no neighbour to
          // draw a segment to, and would otherwise not show at all.
          points: item.kind === 'line' ? { show: true, size: 5, fill: color } : { show: false },
          spanGaps: false,
          value: (_u, v) => (v === null || v === undefined ? '—' : `${Number(v.toFixed(2))}${item.unit ?? ''}`),
        };
      }),
    ],
  };
}

export function Chart({ data, series, ariaLabel, height = 200 }: ChartProps) {
  const host = useRef<HTMLDivElement>(null);
  const plot = useRef<uPlot | null>(null);
  // The theme rebuild below runs later than the render that set it up.
  const latestData = useRef(data);
  latestData.current = data;
  const seriesKey = series.map((item) => `${item.label}:${item.kind}`).join('|');

  useEffect(() => {
    const element = host.current;
    if (!element) return;
    const width = Math.max(element.clientWidth, 200);
    plot.current = new uPlot(buildOptions(series, width, height), latestData.current, element);

    const observer = new ResizeObserver(() => {
      plot.current?.setSize({ width: Math.max(element.clientWidth, 200), height });
    });
    observer.observe(element);

    // Theme changes (prefers-color-scheme) need new colours: rebuild.
    const scheme = window.matchMedia('(prefers-color-scheme: dark)');
    const rebuild = () => {
      plot.current?.destroy();
      const options = buildOptions(series, Math.max(element.clientWidth, 200), height);
      plot.current = new uPlot(options, latestData.current, element);
    };
    scheme.addEventListener('change', rebuild);
    return () => {
      scheme.removeEventListener('change', rebuild);
      observer.disconnect();
      plot.current?.destroy();
      plot.current = null;
    };
    // Rebuilt only when the series change; new data goes through setData below.
  }, [seriesKey, height]);

  useEffect(() => {
    plot.current?.setData(data);
  }, [data]);

  return <div class="chart" ref={host} role="img" aria-label={ariaLabel} />;
}
