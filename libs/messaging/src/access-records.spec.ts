import pino from 'pino';
import { AccessRecord, AccessRecorder, storableText, subjectsInResponse } from './access-records';

const silent = pino({ level: 'silent' });
const caller = { sub: 'alice', dept: 'FINANCE', roles: ['implementer'] };

describe('subjectsInResponse', () => {
  it('finds subjects in entries, assignments, inbox items and look-ups; skips masked ones', () => {
    const body = {
      items: [
        {
          subject: { kind: 'legal_person', id: '91350100M000100Y43', name: '某公司' },
          relatedPersons: [{ id: '11010519491231002X', name: '张三' }],
        },
        { target: { id: '330106198001010012' }, id: 'not-a-subject' },
        { subjectId: '3301**********0012' },
      ],
      identifier: '91350100M000100Y43',
    };
    expect(subjectsInResponse(body).sort()).toEqual(
      ['11010519491231002X', '330106198001010012', '91350100M000100Y43'].sort(),
    );
    expect(subjectsInResponse(Buffer.from('x'))).toEqual([]);
    expect(subjectsInResponse(undefined)).toEqual([]);
  });
});

describe('storableText', () => {
  it('writes control characters out and cuts long values', () => {
    expect(storableText('a\u0000b\nc')).toBe('a\\u0000b\\u000ac');
    expect(storableText('x'.repeat(1000))).toHaveLength(256);
  });
});

describe('AccessRecorder', () => {
  it('stores records in batches, and a record that fails alone does not hold back the others', async () => {
    const stored: AccessRecord[] = [];
    const recorder = new AccessRecorder({
      service: 'test',
      logger: silent,
      write: async (records) => {
        if (records.some((r) => r.subjectId === 'POISON')) throw new Error('poison');
        stored.push(...records);
      },
    });
    recorder.recordRead(caller, 'GET /v1/inbox', ['A1', 'POISON', 'B2']);
    recorder.recordRead(caller, 'GET /v1/reports/overdue', []);
    await recorder.flush();
    expect(stored.map((r) => r.subjectId)).toEqual(['A1', 'B2', undefined]);
    expect(stored[0]).toMatchObject({
      sub: 'alice',
      dept: 'FINANCE',
      role: 'implementer',
      what: 'GET /v1/inbox',
    });
    recorder.recordRead(caller, 'GET /v1/inbox', ['C3']);
    await recorder.flush();
    expect(stored.map((r) => r.subjectId)).toContain('C3');
  });

  it('keeps a batch while the store is away, and drops a record that keeps failing alone', async () => {
    let away = true;
    const stored: AccessRecord[] = [];
    const recorder = new AccessRecorder({
      service: 'test',
      logger: silent,
      write: async (records) => {
        if (away || records.some((r) => r.subjectId === 'POISON')) throw new Error('down');
        stored.push(...records);
      },
    });
    recorder.recordRead(caller, 'x', ['A1', 'A2']);
    await recorder.flush();
    expect(stored).toEqual([]);
    away = false;
    await recorder.flush();
    expect(stored.map((r) => r.subjectId)).toEqual(['A1', 'A2']);

    recorder.recordRead(caller, 'x', ['POISON']);
    for (let i = 0; i < 5; i++) await recorder.flush();
    recorder.recordRead(caller, 'x', ['A3']);
    await recorder.flush();
    expect(stored.map((r) => r.subjectId)).toEqual(['A1', 'A2', 'A3']);
  });
});
