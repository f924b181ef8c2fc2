import { defineAsyncComponent } from 'vue';
import { NSkeleton } from 'naive-ui';
import type { Money } from '@kartoteka/portal-api';
import type { FinanceMonth, RatingPoint } from '../api/finance.queries';
import type { ChartOption } from './echarts-setup';
import { majorOf } from '../model/format';

/**
 * Resolves when the browser is idle (at the latest after `timeout` ms): the chart's chunk, ECharts, is large to
 * parse, and the card's panels render their data first.
 */
const whenIdle = (timeout: number): Promise<void> =>
  new Promise((resolve) => {
    if (typeof window.requestIdleCallback === 'function') window.requestIdleCallback(() => resolve(), { timeout });
    else window.setTimeout(resolve, 0);
  });

/** The chart component, with ECharts, as a chunk of its own: loaded when a chart is first shown, once the page is idle. */
export const FinanceChart = defineAsyncComponent({
  loader: () => whenIdle(1000).then(() => import('./FinanceChart.vue')),
  loadingComponent: NSkeleton,
  delay: 100,
});

export type { ChartOption };

const COLORS = { invoiced: '#94a3b8', paid: '#2563eb', score: '#16a34a' };
const TEXT = { color: '#334155', fontFamily: 'Inter, "Segoe UI", Roboto, Arial, sans-serif' };

/** Invoiced (bars) and paid (line) per month over the last 12 months. */
export const monthsOption = (
  months: readonly FinanceMonth[],
  labels: { invoiced: string; paid: string; month: (month: string) => string; money: (money: Money) => string; axis: (value: number) => string },
  currency: string,
): ChartOption => ({
  aria: { enabled: true },
  textStyle: TEXT,
  animationDuration: 300,
  tooltip: { trigger: 'axis', valueFormatter: (value) => labels.money({ minor: Math.round(Number(value) * 100), currency }) },
  legend: { top: 0 },
  grid: { left: 8, right: 16, top: 36, bottom: 8, containLabel: true },
  xAxis: { type: 'category', data: months.map((row) => labels.month(row.month)), axisLabel: { hideOverlap: true } },
  yAxis: { type: 'value', axisLabel: { formatter: (value: number) => labels.axis(value) } },
  series: [
    { type: 'bar', name: labels.invoiced, color: COLORS.invoiced, barMaxWidth: 22, data: months.map((row) => majorOf(row.invoiced)) },
    { type: 'line', name: labels.paid, color: COLORS.paid, symbolSize: 6, data: months.map((row) => majorOf(row.paid)) },
  ],
});

/** The rating's score over time (points without a score are gaps). */
export const historyOption = (history: readonly RatingPoint[], labels: { score: string; date: (iso: string) => string }): ChartOption => ({
  aria: { enabled: true },
  textStyle: TEXT,
  animationDuration: 300,
  tooltip: { trigger: 'axis' },
  grid: { left: 8, right: 16, top: 12, bottom: 8, containLabel: true },
  xAxis: { type: 'category', data: history.map((point) => labels.date(point.computedAt)), axisLabel: { hideOverlap: true } },
  yAxis: { type: 'value', min: 0, max: 100 },
  series: [
    {
      type: 'line',
      name: labels.score,
      color: COLORS.score,
      symbolSize: 5,
      connectNulls: false,
      data: history.map((point) => (point.score === null ? null : Math.round(point.score * 10) / 10)),
    },
  ],
});
