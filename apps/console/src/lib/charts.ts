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

export interface OverdueItem {
  dept: string;
  feedbackDeadline?: string | null;
  overdueSince?: string | null;
  ageDays?: number | null;
  [k: string]: unknown;
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

export const AGE_BUCKETS = ['≤3天', '4–10天', '11–30天', '>30天'] as const;

export function ageBucket(days: number): (typeof AGE_BUCKETS)[number] {
  if (days <= 3) return AGE_BUCKETS[0];
  if (days <= 10) return AGE_BUCKETS[1];
  if (days <= 30) return AGE_BUCKETS[2];
  return AGE_BUCKETS[3];
}

/** Overdue assignments by department, stacked by how long past their deadline (days). */
export function overdueOption(
  items: readonly OverdueItem[],
  now: Date = new Date(),
  names: Record<string, string> = {},
) {
  const depts = [...new Set(items.map((i) => i.dept))].sort();
  const counts = new Map<string, number>();
  for (const item of items) {
    const since = item.overdueSince ?? item.feedbackDeadline;
    const days =
      typeof item.ageDays === 'number'
        ? item.ageDays
        : since
          ? Math.max(0, Math.floor((now.getTime() - Date.parse(since)) / 86_400_000))
          : 0;
    const key = `${item.dept}|${ageBucket(days)}`;
    counts.set(key, (counts.get(key) ?? 0) + 1);
  }
  return {
    tooltip: { trigger: 'axis' },
    legend: { top: 0 },
    grid: { left: 40, right: 16, bottom: 72, top: 36 },
    xAxis: { type: 'category', data: depts.map((d) => names[d] ?? d), axisLabel: { rotate: 30 } },
    yAxis: { type: 'value', minInterval: 1 },
    series: AGE_BUCKETS.map((bucket) => ({
      name: bucket,
      type: 'bar',
      stack: 'age',
      data: depts.map((d) => counts.get(`${d}|${bucket}`) ?? 0),
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
