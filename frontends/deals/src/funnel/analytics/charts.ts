/**
 * ECharts for the funnel analytics, tree-shaken: only the chart types, components and the SVG renderer
 * these pages draw with are registered (`echarts/core`), bundled into the analytics chunk of the deals app.
 * The option builders take numbers exactly as `dealAnalytics` computed them on the server.
 */
import { use, type ComposeOption } from 'echarts/core';
import { BarChart, FunnelChart, LineChart, type BarSeriesOption, type FunnelSeriesOption, type LineSeriesOption } from 'echarts/charts';
import {
  AriaComponent,
  GridComponent,
  LegendComponent,
  TooltipComponent,
  type AriaComponentOption,
  type GridComponentOption,
  type LegendComponentOption,
  type TooltipComponentOption,
} from 'echarts/components';
import { SVGRenderer } from 'echarts/renderers';
import type { DealAnalytics } from '../../api/funnel.queries';

use([FunnelChart, BarChart, LineChart, GridComponent, TooltipComponent, LegendComponent, AriaComponent, SVGRenderer]);

export type ChartOption = ComposeOption<
  FunnelSeriesOption | BarSeriesOption | LineSeriesOption | GridComponentOption | TooltipComponentOption | LegendComponentOption | AriaComponentOption
>;

type Labels = {
  reached: string;
  conversion: string;
  averageDays: string;
  created: string;
  won: string;
  lost: string;
  percent: (value: number) => string;
  days: (value: number) => string;
  period: (value: string) => string;
};

const COLORS = { primary: '#2563eb', won: '#16a34a', lost: '#dc2626', neutral: '#64748b' };
const FUNNEL_COLORS = ['#1d4ed8', '#2563eb', '#3b82f6', '#60a5fa', '#93c5fd', '#bfdbfe'];
const TEXT = { color: '#334155', fontFamily: 'Inter, "Segoe UI", Roboto, Arial, sans-serif' };

const base = (): Pick<ChartOption, 'aria' | 'textStyle' | 'animationDuration'> => ({
  aria: { enabled: true },
  textStyle: TEXT,
  animationDuration: 300,
});

/**
 * The funnel: how many deals reached each stage, in the template's order. Lost stages (`offPath`) are an
 * exit, not a step of the funnel: the stage table lists them.
 */
export const funnelOption = (analytics: DealAnalytics, labels: Labels, offPath: ReadonlySet<string> = new Set()): ChartOption => ({
  ...base(),
  color: FUNNEL_COLORS,
  tooltip: { trigger: 'item', formatter: '{b}: {c}' },
  series: [
    {
      type: 'funnel',
      name: labels.reached,
      sort: 'none',
      minSize: '20%',
      gap: 2,
      left: '8%',
      right: '8%',
      top: 8,
      bottom: 8,
      label: { show: true, position: 'inside', formatter: '{b}: {c}', color: '#fff' },
      data: analytics.funnel.filter((stage) => !offPath.has(stage.stageKey)).map((stage) => ({ name: stage.name, value: stage.reached })),
    },
  ],
});

const stageNames = (analytics: DealAnalytics): Map<string, string> => new Map(analytics.funnel.map((stage) => [stage.stageKey, stage.name]));

/** Conversion from one stage to the next, in percent. */
export const conversionOption = (analytics: DealAnalytics, labels: Labels): ChartOption => {
  const names = stageNames(analytics);
  return {
    ...base(),
    tooltip: { trigger: 'axis', valueFormatter: (value) => labels.percent(Number(value) / 100) },
    grid: { left: 8, right: 24, top: 16, bottom: 8, containLabel: true },
    xAxis: { type: 'value', max: 100, axisLabel: { formatter: (value: number) => labels.percent(value / 100) } },
    yAxis: {
      type: 'category',
      inverse: true,
      data: analytics.conversion.map((row) => `${names.get(row.fromStageKey) ?? row.fromStageKey} → ${names.get(row.toStageKey) ?? row.toStageKey}`),
    },
    series: [
      {
        type: 'bar',
        name: labels.conversion,
        color: COLORS.primary,
        barMaxWidth: 28,
        label: { show: true, position: 'right', formatter: ({ value }) => labels.percent(Number(value) / 100) },
        data: analytics.conversion.map((row) => Math.round(row.rate * 1000) / 10),
      },
    ],
  };
};

/** Average days a deal spends in each stage. */
export const timeInStageOption = (analytics: DealAnalytics, labels: Labels): ChartOption => {
  const names = stageNames(analytics);
  return {
    ...base(),
    tooltip: { trigger: 'axis', valueFormatter: (value) => labels.days(Number(value)) },
    grid: { left: 8, right: 24, top: 16, bottom: 8, containLabel: true },
    xAxis: { type: 'category', data: analytics.timeInStage.map((row) => names.get(row.stageKey) ?? row.stageKey), axisLabel: { interval: 0, overflow: 'break', width: 90 } },
    yAxis: { type: 'value' },
    series: [
      {
        type: 'bar',
        name: labels.averageDays,
        color: COLORS.neutral,
        barMaxWidth: 36,
        label: { show: true, position: 'top', formatter: ({ value }) => labels.days(Number(value)) },
        data: analytics.timeInStage.map((row) => row.averageDays ?? 0),
      },
    ],
  };
};

/** Deals created, won and lost per period. */
export const periodOption = (analytics: DealAnalytics, labels: Labels): ChartOption => ({
  ...base(),
  tooltip: { trigger: 'axis' },
  legend: { top: 0 },
  grid: { left: 8, right: 16, top: 36, bottom: 8, containLabel: true },
  xAxis: { type: 'category', data: analytics.byPeriod.map((row) => labels.period(row.period)) },
  yAxis: { type: 'value', minInterval: 1 },
  series: [
    { type: 'bar', name: labels.created, color: COLORS.primary, barMaxWidth: 24, data: analytics.byPeriod.map((row) => row.created) },
    { type: 'line', name: labels.won, color: COLORS.won, symbolSize: 7, data: analytics.byPeriod.map((row) => row.won) },
    { type: 'line', name: labels.lost, color: COLORS.lost, symbolSize: 7, data: analytics.byPeriod.map((row) => row.lost) },
  ],
});
