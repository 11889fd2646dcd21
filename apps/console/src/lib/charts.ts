/** What the statistics routes answer (GET /v1/stats/departments, /daily), as far as the charts read it. */
export interface DepartmentStats {
  items: {
    dept: string;
    assigned: number;
    acknowledged: number;
    enforced: number;
    overdue?: number;
    [k: string]: unknown;
  }[];
  applicationRate: {
    threshold: number;
    departments: number;
    applying: number;
    rate: number | null;
    byDepartment: { dept: string; assigned: number; acted: number; share: number; applies: boolean }[];
  };
}

export interface DailyStats {
  items: { day: string; assigned: number; [k: string]: unknown }[];
}

/** What `GET /v1/overdue/counts` answers: overdue assignments now, by department, kind and level. */
export interface OverdueCounts {
  items: { dept: string; kind: string; level: number; count: number }[];
  total: number;
}

export interface CheckSummary {
  items: { dept: string; checks: number; hits: number; hitsDecided?: number; [k: string]: unknown }[];
}

/** Application rate by department: a bar per department (percent), the threshold as a line. */
export function applicationRateOption(stats: DepartmentStats, names: Record<string, string> = {}) {
  const rows = [...stats.applicationRate.byDepartment].sort((a, b) => b.share - a.share);
  return {
    tooltip: { trigger: 'axis' },
    grid: { left: 48, right: 16, bottom: 72, top: 32 },
    xAxis: { type: 'category', data: rows.map((r) => names[r.dept] ?? r.dept), axisLabel: { rotate: 30 } },
    yAxis: { type: 'value', max: 100, axisLabel: { formatter: '{value}%' } },
    series: [
      {
        name: '应用率',
        type: 'bar',
        data: rows.map((r) => ({
          value: Math.round(r.share * 1000) / 10,
          itemStyle: { color: r.applies ? '#52c41a' : '#fa541c' },
        })),
        markLine: { symbol: 'none', data: [{ yAxis: stats.applicationRate.threshold * 100, name: '阈值' }] },
      },
    ],
  };
}

/** The overdue chart's stacks: what was missed (签收 or 反馈) and how far it was escalated. */
export const OVERDUE_SERIES = [
  { kind: 'acknowledgement', level: 1, name: '未签收·提醒', color: '#ffc069' },
  { kind: 'acknowledgement', level: 2, name: '未签收·已升级', color: '#fa8c16' },
  { kind: 'feedback', level: 1, name: '未反馈·提醒', color: '#ff7875' },
  { kind: 'feedback', level: 2, name: '未反馈·已升级', color: '#a8071a' },
] as const;

/**
 * Overdue assignments per department (most first), stacked by kind and level — from the counts route's
 * rollup, so the chart is complete at any volume (a page of the overdue list is not).
 */
export function overdueOption(counts: OverdueCounts, names: Record<string, string> = {}) {
  const byDept = new Map<string, number>();
  const cell = new Map<string, number>();
  for (const i of counts.items) {
    byDept.set(i.dept, (byDept.get(i.dept) ?? 0) + i.count);
    const key = `${i.dept}|${i.kind}|${Math.min(i.level, 2)}`;
    cell.set(key, (cell.get(key) ?? 0) + i.count);
  }
  const depts = [...byDept.keys()].sort((a, b) => byDept.get(b)! - byDept.get(a)! || a.localeCompare(b));
  return {
    tooltip: { trigger: 'axis' },
    legend: { top: 0 },
    grid: { left: 40, right: 16, bottom: 72, top: 36 },
    xAxis: { type: 'category', data: depts.map((d) => names[d] ?? d), axisLabel: { rotate: 30 } },
    yAxis: { type: 'value', minInterval: 1 },
    series: OVERDUE_SERIES.map((s) => ({
      name: s.name,
      type: 'bar',
      stack: 'overdue',
      itemStyle: { color: s.color },
      data: depts.map((d) => cell.get(`${d}|${s.kind}|${s.level}`) ?? 0),
    })),
  };
}

/** Assignments issued per day (Beijing days, as the API buckets them). */
export function dailyOption(stats: DailyStats) {
  const items = [...stats.items].sort((a, b) => a.day.localeCompare(b.day));
  return {
    tooltip: { trigger: 'axis' },
    grid: { left: 40, right: 16, bottom: 40, top: 24 },
    xAxis: { type: 'category', data: items.map((i) => i.day) },
    yAxis: { type: 'value', minInterval: 1 },
    series: [
      { name: '下发任务', type: 'line', smooth: true, areaStyle: {}, data: items.map((i) => i.assigned) },
    ],
  };
}

/** Hits and decisions per department (GET /v1/check-log/summary): checks that found a measure, and how many were decided. */
export function hitsOption(summary: CheckSummary, names: Record<string, string> = {}) {
  const items = [...summary.items].sort((a, b) => a.dept.localeCompare(b.dept));
  const num = (v: unknown) => (typeof v === 'number' ? v : 0);
  return {
    tooltip: { trigger: 'axis' },
    legend: { top: 0 },
    grid: { left: 40, right: 16, bottom: 72, top: 36 },
    xAxis: { type: 'category', data: items.map((i) => names[i.dept] ?? i.dept), axisLabel: { rotate: 30 } },
    yAxis: { type: 'value', minInterval: 1 },
    series: [
      { name: '核查', type: 'bar', data: items.map((i) => num(i.checks)) },
      { name: '命中', type: 'bar', data: items.map((i) => num(i.hits)) },
      { name: '已决定', type: 'bar', data: items.map((i) => num(i.hitsDecided)) },
    ],
  };
}

/** The headline figures of the dashboard, from the same answers the charts draw. */
export function totalsOf(stats: DepartmentStats) {
  const sum = (k: string) =>
    stats.items.reduce((s, i) => s + (typeof i[k] === 'number' ? (i[k] as number) : 0), 0);
  return {
    assigned: sum('assigned'),
    acknowledged: sum('acknowledged'),
    enforced: sum('enforced'),
    applicationRate: stats.applicationRate.rate,
  };
}
