import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { CalendarDataError, validateYearData } from './calendar-data';
import { loadBundledCalendar, loadYearFiles } from './load-calendar';

const valid = {
  year: 2026,
  source: 'test notice',
  holidays: [{ date: '2026-10-01', name: '国庆节' }],
  workingWeekends: [{ date: '2026-10-10', name: '国庆节调休' }],
};

describe('validateYearData', () => {
  it('accepts a well-formed year', () => {
    expect(validateYearData(valid, '2026.json')).toEqual(valid);
  });

  it.each([
    [
      'a date outside its year',
      { holidays: [{ date: '2027-01-01', name: '元旦' }] },
      /holidays\[0\].*outside year 2026/,
    ],
    [
      'a non-ISO date',
      { holidays: [{ date: '2026-1-1', name: '元旦' }] },
      /holidays\[0\].*not a valid ISO date/,
    ],
    ['an impossible date', { holidays: [{ date: '2026-02-30', name: 'x' }] }, /not a valid ISO date/],
    [
      'a working weekend on a weekday',
      { workingWeekends: [{ date: '2026-10-09', name: 'x' }] },
      /workingWeekends\[0\] "2026-10-09".*not a Saturday or Sunday/,
    ],
    [
      'a date both holiday and working weekend',
      { holidays: [{ date: '2026-10-10', name: 'x' }] },
      /workingWeekends\[0\] "2026-10-10".*both a holiday and a working weekend/,
    ],
    [
      'a duplicated date',
      { holidays: [valid.holidays[0], valid.holidays[0]] },
      /holidays\[1\].*listed twice/,
    ],
    ['a missing source', { source: '' }, /"source"/],
    ['a missing list', { workingWeekends: undefined }, /"workingWeekends" must be an array/],
  ])('rejects %s, naming the file and entry', (_label, patch, message) => {
    const run = () => validateYearData({ ...valid, ...patch }, 'data/2026.json');
    expect(run).toThrow(CalendarDataError);
    expect(run).toThrow(/^data\/2026\.json: /);
    expect(run).toThrow(message);
  });
});

describe('loadYearFiles', () => {
  let dir: string;

  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'calendar-'));
  });

  afterEach(() => {
    fs.rmSync(dir, { recursive: true, force: true });
  });

  const write = (name: string, content: unknown) =>
    fs.writeFileSync(path.join(dir, name), typeof content === 'string' ? content : JSON.stringify(content));

  it('loads an override folder', () => {
    write('2026.json', valid);
    const calendar = loadBundledCalendar(dir);
    expect(calendar.coverage()).toEqual({ from: 2026, to: 2026 });
  });

  it('rejects a bad file, naming it and the entry', () => {
    write('2026.json', { ...valid, workingWeekends: [{ date: '2026-10-09', name: '国庆节调休' }] });
    const file = path.join(dir, '2026.json');
    expect(() => loadYearFiles(dir)).toThrow(`${file}: workingWeekends[0] "2026-10-09": working weekend`);
  });

  it('rejects invalid JSON and a file named after another year', () => {
    write('2026.json', '{ "year": 2026,');
    expect(() => loadYearFiles(dir)).toThrow(/2026\.json: invalid JSON/);
    write('2026.json', { ...valid, year: 2025, holidays: [], workingWeekends: [] });
    expect(() => loadYearFiles(dir)).toThrow(/must be named 2025\.json/);
  });

  it('rejects a missing or empty folder', () => {
    expect(() => loadYearFiles(dir)).toThrow(/no <year>\.json files/);
    expect(() => loadYearFiles(path.join(dir, 'nope'))).toThrow(/folder not found/);
  });

  it('validates every bundled year file', () => {
    expect(() => loadYearFiles(path.join(__dirname, '..', 'data'))).not.toThrow();
  });
});
