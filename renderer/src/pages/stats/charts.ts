import type { StatsResult, StatsTrendRow } from '../../../../shared/stats/types';
import type { ChartOption } from './EChart';

type Label = (key: 'stats.series.due' | 'stats.series.success' | 'stats.series.finalised' | 'stats.series.problem' | 'stats.series.successRate' | 'stats.series.problemRate' | 'stats.series.count') => string;

const pct = (v: number | null) => (v === null ? null : Math.round(v * 1000) / 10);
const FONT = { fontSize: 13 };

/** Staff side by side: tasks due, successes, finalised visits and problem cases. */
export function staffBars(s: StatsResult, label: Label): ChartOption {
  return {
    tooltip: { trigger: 'axis' },
    legend: { top: 0, textStyle: FONT },
    grid: { left: 48, right: 16, top: 40, bottom: 32 },
    xAxis: { type: 'category', data: s.staff.map((r) => r.name), axisLabel: FONT },
    yAxis: { type: 'value', minInterval: 1, axisLabel: FONT },
    series: [
      { name: label('stats.series.due'), type: 'bar', data: s.staff.map((r) => r.due) },
      { name: label('stats.series.success'), type: 'bar', data: s.staff.map((r) => r.success) },
      { name: label('stats.series.finalised'), type: 'bar', data: s.staff.map((r) => r.finalised) },
      { name: label('stats.series.problem'), type: 'bar', data: s.staff.map((r) => r.problem) },
    ],
  };
}

/** Problem categories as horizontal bars, the most serious on top. */
export function categoryBars(s: StatsResult, label: Label): ChartOption {
  const rows = [...s.categories].reverse();
  return {
    tooltip: { trigger: 'axis', axisPointer: { type: 'shadow' } },
    grid: { left: 140, right: 32, top: 16, bottom: 32 },
    xAxis: { type: 'value', minInterval: 1, axisLabel: FONT },
    yAxis: { type: 'category', data: rows.map((c) => c.label), axisLabel: { ...FONT, width: 120, overflow: 'truncate' } },
    series: [{ name: label('stats.series.count'), type: 'bar', data: rows.map((c) => c.count), label: { show: true, position: 'right' }, itemStyle: { color: '#d4380d' } }],
  };
}

export function categoryPie(s: StatsResult): ChartOption {
  return {
    tooltip: { trigger: 'item', formatter: '{b}：{c}（{d}%）' },
    legend: { type: 'scroll', orient: 'vertical', right: 0, top: 'middle', textStyle: FONT },
    series: [
      {
        type: 'pie',
        radius: ['35%', '65%'],
        center: ['38%', '50%'],
        label: { formatter: '{b}\n{d}%', fontSize: 12 },
        data: s.categories.map((c) => ({ name: c.label, value: c.count })),
      },
    ],
  };
}

/** Counts as bars, the two rates as lines on a percentage axis. */
export function trendLines(rows: StatsTrendRow[], label: Label): ChartOption {
  return {
    tooltip: { trigger: 'axis' },
    legend: { top: 0, textStyle: FONT },
    grid: { left: 48, right: 56, top: 40, bottom: 32 },
    xAxis: { type: 'category', data: rows.map((r) => r.key), axisLabel: FONT },
    yAxis: [
      { type: 'value', minInterval: 1, axisLabel: FONT },
      { type: 'value', min: 0, max: 100, axisLabel: { ...FONT, formatter: '{value}%' }, splitLine: { show: false } },
    ],
    series: [
      { name: label('stats.series.due'), type: 'bar', data: rows.map((r) => r.due), itemStyle: { color: '#bfd4f2' } },
      { name: label('stats.series.finalised'), type: 'bar', data: rows.map((r) => r.finalised), itemStyle: { color: '#d9d9d9' } },
      { name: label('stats.series.successRate'), type: 'line', yAxisIndex: 1, connectNulls: true, data: rows.map((r) => pct(r.successRate)), itemStyle: { color: '#389e0d' } },
      { name: label('stats.series.problemRate'), type: 'line', yAxisIndex: 1, connectNulls: true, data: rows.map((r) => pct(r.problemRate)), itemStyle: { color: '#d4380d' } },
    ],
  };
}
