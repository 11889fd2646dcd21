import { parseCsv, progressOf, rejectedRowsCsv, rejectionsByRow } from './import-report';

const FILE = [
  'subjectKind,subjectId,subjectName,documentNo,decisionDate,facts',
  'legal_person,91330106MA2H7QK4XQ,"某某有限公司, 杭州",(2026)1号,2026-01-05,事实一',
  'individual,330106197508080526,李某,(2026)2号,2026-13-45,"他说""不""。"',
  'legal_person,BADCODE,某公司,(2026)3号,2026-01-05,事实三',
].join('\r\n');

describe('the import report', () => {
  const rejections = [
    { row: 3, field: 'subjectId', code: 'IDENTIFIER.LENGTH', message: '长度不符' },
    { row: 2, field: 'decisionDate', code: 'VALIDATION.DATE', message: '日期无效' },
    { row: 3, field: 'subjectKind', code: 'VALIDATION.KIND', message: '主体类型不符' },
  ];

  it('groups the rejections by row, in row order', () => {
    expect(rejectionsByRow(rejections)).toEqual([
      { row: 2, problems: [rejections[1]] },
      { row: 3, problems: [rejections[0], rejections[2]] },
    ]);
  });

  it('reads quoted fields with commas and doubled quotes', () => {
    const rows = parseCsv(FILE);
    expect(rows).toHaveLength(4);
    expect(rows[1][2]).toBe('某某有限公司, 杭州');
    expect(rows[2][5]).toBe('他说"不"。');
  });

  it('gives back the rejected rows as they were, with the reasons in a last column', () => {
    const csv = rejectedRowsCsv(FILE, rejections);
    expect(csv.startsWith('\uFEFF')).toBe(true); // Excel opens UTF-8 with the mark
    const rows = parseCsv(csv);
    expect(rows).toHaveLength(3);
    expect(rows[0]).toEqual([...parseCsv(FILE)[0], '错误原因']);
    expect(rows[1].slice(0, 6)).toEqual(parseCsv(FILE)[2]);
    expect(rows[1][6]).toBe('decisionDate: 日期无效 (VALIDATION.DATE)');
    expect(rows[2][1]).toBe('BADCODE');
    expect(rows[2][6]).toContain('subjectId: 长度不符 (IDENTIFIER.LENGTH); subjectKind:');
  });

  it('shows progress while running and 100 when over', () => {
    expect(progressOf({ status: 'running', total: 200, accepted: 50, rejected: 10 })).toBe(30);
    expect(progressOf({ status: 'running', total: 0, accepted: 0, rejected: 0 })).toBe(0);
    expect(progressOf({ status: 'running', total: 10, accepted: 10, rejected: 0 })).toBe(99);
    expect(progressOf({ status: 'succeeded', total: 10, accepted: 9, rejected: 1 })).toBe(100);
  });
});
