import { EntryFacts } from './document-texts';

/** A time in China (UTC+8), as the documents write their dates. */
export const chinaTime = (iso: string) => new Date(`${iso}+08:00`);

/** The facts of an entry the document specs render, with what a spec changes (e.g. text to escape). */
export const entryFacts = (overrides: Partial<EntryFacts> = {}): EntryFacts => ({
  ownerName: '杭州市西湖区人民法院',
  listTypeName: '失信被执行人名单',
  legalBasis: '《最高人民法院关于公布失信被执行人名单信息的若干规定》第一条',
  criteria: '有履行能力而拒不履行',
  subjectName: '杭州某某科技有限公司',
  subjectId: '91330106MA2H7QK4XQ',
  decisionNo: '(2026)浙0106执1234号',
  decisionDate: '2026-11-02',
  facts: '有履行能力而拒不履行生效法律文书确定义务',
  periodFrom: chinaTime('2026-11-03T09:00:00'),
  periodTo: chinaTime('2028-11-02T09:00:00'),
  ...overrides,
});
