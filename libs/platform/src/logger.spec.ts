import { createRootLogger, maskIdentifier, maskName, maskPersonalText } from './logger';

describe('maskIdentifier', () => {
  it('keeps the first four and last two characters of a unified social credit code', () => {
    expect(maskIdentifier('91350100M000100Y43')).toBe('9135************43');
  });

  it('keeps the length of a resident ID number', () => {
    const masked = maskIdentifier('11010519491231002X');

    expect(masked).toBe('1101************2X');
    expect(masked).toHaveLength(18);
  });

  it('hides a short identifier completely', () => {
    expect(maskIdentifier('123456')).toBe('******');
    expect(maskIdentifier('1234567')).toBe('1234*67');
  });

  it.each([null, undefined, ''])('gives an empty string for %p', (value) => {
    expect(maskIdentifier(value)).toBe('');
  });
});

describe('maskName', () => {
  it.each([
    ['张三', '张*'],
    ['欧阳娜娜', '欧***'],
    ['张', '张*'],
    ['𠀀三', '𠀀*'], // a character outside the BMP counts once
  ])('masks %s as %s', (name, expected) => {
    expect(maskName(name)).toBe(expected);
  });

  it.each([null, undefined, ''])('gives an empty string for %p', (value) => {
    expect(maskName(value)).toBe('');
  });
});

describe('what reaches a log line', () => {
  const lines = () => {
    const written: Record<string, unknown>[] = [];
    const logger = createRootLogger('test', 'info', {
      write: (line: string) => void written.push(JSON.parse(line)),
    });
    return { logger, written };
  };

  it('masks ID numbers and quoted names in free text', () => {
    expect(maskPersonalText('failed 3 times: subject 11010519491231002X not found')).toBe(
      'failed 3 times: subject 1101************2X not found',
    );
    expect(maskPersonalText('invalid input syntax for type integer: "张三丰"')).toBe(
      'invalid input syntax for type integer: "张**"',
    );
    expect(maskPersonalText('Key (subject_id)=(110105194912310)) already exists')).not.toContain(
      '110105194912310',
    );
    expect(maskPersonalText('relation "registry.subjects" does not exist')).toBe(
      'relation "registry.subjects" does not exist',
    );
  });

  it('drops a failed query’s parameters and text from an error, and masks its message', () => {
    const { logger, written } = lines();
    const err = Object.assign(new Error('invalid input syntax for type uuid: "11010519491231002X"'), {
      name: 'QueryFailedError',
      query: "SELECT * FROM registry.subjects WHERE name = '王小明'",
      parameters: ['11010519491231002X', '王小明'],
      driverError: { detail: 'Key (id)=(11010519491231002X) exists' },
      detail: 'Key (id)=(11010519491231002X) exists',
      code: '22P02',
    });
    logger.error({ err }, 'unhandled error');
    const text = JSON.stringify(written);
    expect(text).not.toContain('11010519491231002X');
    expect(text).not.toContain('王小明');
    expect(written[0]).toMatchObject({ err: { type: 'Error', name: 'QueryFailedError', code: '22P02' } });
    expect(written[0].err).not.toHaveProperty('parameters');
    expect(written[0].err).not.toHaveProperty('query');
  });

  it('masks names under name keys and ID numbers in any field, nested too', () => {
    const { logger, written } = lines();
    logger.warn(
      { reason: 'bad subject 11010519491231002X', subject: { id: '11010519491231002X', name: '李四' } },
      'message dead-lettered',
    );
    expect(written[0]).toMatchObject({
      reason: 'bad subject 1101************2X',
      subject: { id: '1101************2X', name: '李*' },
    });
  });
});

describe('the message of a log line', () => {
  it('is masked too', () => {
    const written: Record<string, unknown>[] = [];
    const logger = createRootLogger('test', 'info', {
      write: (line: string) => void written.push(JSON.parse(line)),
    });
    logger.error('no subject 11010519491231002X named "赵六"');
    expect(written[0].msg).toBe('no subject 1101************2X named "赵*"');
  });
});
