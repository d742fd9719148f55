'use client';
import {
  CategoryScale,
  Chart,
  Filler,
  Legend,
  LinearScale,
  LineController,
  LineElement,
  PointElement,
  Tooltip,
} from 'chart.js';
import { useEffect, useRef, useState } from 'react';
import { api } from '../lib/api';
import { usePoll } from './usePoll';

Chart.register(
  LineController,
  LineElement,
  PointElement,
  LinearScale,
  CategoryScale,
  Filler,
  Legend,
  Tooltip,
);

interface Series {
  at: number[];
  stepMs: number;
  values: Record<string, (number | null)[]>;
}

const WINDOWS = [
  { label: '5 min', ms: 5 * 60_000, refreshMs: 2_000 },
  { label: '1 h', ms: 3_600_000, refreshMs: 10_000 },
  { label: '24 h', ms: 86_400_000, refreshMs: 60_000 },
  { label: '30 d', ms: 30 * 86_400_000, refreshMs: 300_000 },
] as const;

/** Legend words for HAProxy's field names: people read "5xx responses", not `hrsp_5xx`. */
const METRIC_WORDS: Record<string, string> = {
  req_rate: 'Requests/s',
  sessions: 'Open sessions',
  hrsp_4xx: '4xx responses/s',
  hrsp_5xx: '5xx responses/s',
  err_req: 'Bad requests/s',
  rtime: 'Response time (ms)',
  bytes_in: 'Received (KiB/s)',
  bytes_out: 'Sent (KiB/s)',
};

/** What each chart shows, and which entities' series feed it (frontends are the unit's traffic). */
const CHARTS = [
  { id: 'requests', title: 'Requests/s', kind: 'frontend', metrics: ['req_rate'], unit: '/s' },
  { id: 'sessions', title: 'Open sessions', kind: 'frontend', metrics: ['sessions'], unit: '' },
  {
    id: 'errors',
    title: 'Errors/s',
    kind: 'frontend',
    metrics: ['hrsp_4xx', 'hrsp_5xx', 'err_req'],
    unit: '/s',
  },
  { id: 'rtime', title: 'Response time', kind: 'backend', metrics: ['rtime'], unit: ' ms' },
  {
    id: 'bandwidth',
    title: 'Traffic (KiB/s)',
    kind: 'frontend',
    metrics: ['bytes_in', 'bytes_out'],
    unit: ' KiB/s',
  },
] as const;

/** Sums per slot over entities (means for response time), null where none has data. */
function combine(list: Series[], metric: string, mean: boolean): (number | null)[] {
  const first = list[0];
  if (!first) return [];
  return first.at.map((_, i) => {
    const vs = list
      .map((s) => s.values[metric]?.[i])
      .filter((v): v is number => v !== null && v !== undefined);
    if (vs.length === 0) return null;
    const sum = vs.reduce((a, b) => a + b, 0);
    const v = mean ? sum / vs.length : sum;
    return metric.startsWith('bytes') ? v / 1024 : v;
  });
}

function LineChart(p: {
  labels: string[];
  datasets: { label: string; data: (number | null)[] }[];
}) {
  const canvas = useRef<HTMLCanvasElement>(null);
  const chart = useRef<Chart | null>(null);
  useEffect(() => {
    if (!canvas.current) return;
    chart.current = new Chart(canvas.current, {
      type: 'line',
      data: { labels: [], datasets: [] },
      options: {
        animation: false,
        responsive: true,
        maintainAspectRatio: false,
        spanGaps: false,
        elements: { point: { radius: 0 } },
        scales: { y: { beginAtZero: true }, x: { ticks: { maxTicksLimit: 6 } } },
        plugins: { legend: { display: true, labels: { boxWidth: 10 } } },
      },
    });
    return () => chart.current?.destroy();
  }, []);
  useEffect(() => {
    const c = chart.current;
    if (!c) return;
    c.data.labels = p.labels;
    c.data.datasets = p.datasets.map((d, i) => ({
      ...d,
      borderWidth: 1.5,
      borderColor: ['#4f46e5', '#e11d48', '#f59e0b'][i] ?? '#64748b',
      backgroundColor: 'transparent',
    }));
    c.update();
  }, [p.labels, p.datasets]);
  // A canvas says nothing to a screen reader (or a test): its label names the lines drawn.
  return (
    <canvas
      ref={canvas}
      role="img"
      aria-label={`Chart of ${p.datasets.map((d) => d.label).join(', ')}`}
    />
  );
}

/**
 * The dashboard's live charts: requests, sessions, errors by class, response time and bandwidth,
 * summed over the unit's frontends (response time: the mean over backends), for a chosen window.
 * Each title carries the latest value in words, which is also what the end-to-end test reads.
 */
export function LiveCharts() {
  const [win, setWin] = useState<(typeof WINDOWS)[number]>(WINDOWS[0]);
  const [data, setData] = useState<Record<string, Series[]>>({});
  // The window a load was made for: an answer for a window no longer shown is dropped.
  const shown = useRef(win);
  shown.current = win;
  usePoll(
    async () => {
      const w = win;
      const entities = await api<string[]>('GET', '/v1/stats/entities');
      const to = Date.now();
      const from = to - w.ms;
      const out: Record<string, Series[]> = {};
      for (const kind of ['frontend', 'backend'] as const) {
        const list = entities.filter((e) => e.startsWith(`${kind}/`));
        out[kind] = await Promise.all(
          list.map((entity) =>
            api<Series>(
              'GET',
              `/v1/stats/series?entity=${encodeURIComponent(entity)}&from=${from}&to=${to}`,
            ),
          ),
        );
      }
      if (shown.current === w) setData(out);
    },
    win.refreshMs,
    [win],
  );

  const fmt = (at: number) =>
    win.ms <= 3_600_000
      ? new Date(at).toLocaleTimeString()
      : new Date(at).toLocaleString([], {
          month: 'short',
          day: 'numeric',
          hour: '2-digit',
          minute: '2-digit',
        });
  return (
    <section className="mt-8">
      <div className="mb-3 flex items-center justify-between">
        <h2 className="text-lg font-medium">Traffic</h2>
        <div role="group" aria-label="Time window" className="flex gap-1 text-sm">
          {WINDOWS.map((w) => (
            <button
              key={w.label}
              onClick={() => setWin(w)}
              aria-pressed={w === win}
              className={`rounded px-2 py-1 ${w === win ? 'bg-indigo-600 text-white' : 'border border-slate-300 dark:border-slate-700'}`}
            >
              {w.label}
            </button>
          ))}
        </div>
      </div>
      <div className="grid gap-4 md:grid-cols-2">
        {CHARTS.map((c) => {
          const list = data[c.kind] ?? [];
          const labels = (list[0]?.at ?? []).map(fmt);
          const datasets = c.metrics.map((m) => ({
            label: METRIC_WORDS[m] ?? m,
            data: combine(list, m, c.id === 'rtime'),
          }));
          const latest = datasets[0]?.data.filter((v): v is number => v !== null).at(-1);
          return (
            <figure
              key={c.id}
              className="rounded-lg border border-slate-200 bg-white p-3 dark:border-slate-800 dark:bg-slate-900"
            >
              <figcaption className="mb-2 flex justify-between text-sm">
                <span className="font-medium">{c.title}</span>
                <span data-testid={`latest-${c.id}`} className="text-slate-500 dark:text-slate-400">
                  {latest === undefined
                    ? 'no data yet'
                    : `${latest.toFixed(latest < 10 ? 1 : 0)}${c.unit} now`}
                </span>
              </figcaption>
              <div className="h-40">
                <LineChart labels={labels} datasets={datasets} />
              </div>
            </figure>
          );
        })}
      </div>
    </section>
  );
}
