import { isCalendarDate, isIsoDateTime, jsonProblem, JSON_INPUT_LIMITS, textProblem, TEXT_MESSAGES } from '../input-values';

describe('textProblem', () => {
  it('accepts any storable text, astral characters (surrogate pairs) included', () => {
    for (const value of ['', 'ООО «Ромашка»', 'emoji 😀 ok', '\t\n', '𝔘𝔫𝔦𝔠𝔬𝔡𝔢']) expect(textProblem(value)).toBeNull();
  });

  it('refuses NUL and every kind of lone surrogate', () => {
    expect(textProblem('a\u0000b')).toBe(TEXT_MESSAGES.nul);
    for (const value of ['\ud800', 'a\ud83d', '\ude00b', 'x\udc00\ud800y', '😀'.slice(0, 1)]) expect(textProblem(value)).toBe(TEXT_MESSAGES.surrogate);
  });
});

describe('isCalendarDate', () => {
  it('accepts real days, leap days included', () => {
    for (const value of ['2026-01-31', '2024-02-29', '2000-02-29', '0001-01-01', '9999-12-31']) expect(isCalendarDate(value)).toBe(true);
  });

  it('refuses impossible days, other formats and non-strings', () => {
    for (const value of ['2026-02-29', '1900-02-29', '2026-02-30', '2026-04-31', '2026-13-01', '2026-00-10', '2026-01-00', '0000-01-01', '2026-1-1', '20260101', '2026-01-01T00:00:00Z', ' 2026-01-01', 'garbage', '', 20260101, null]) {
      expect(isCalendarDate(value)).toBe(false);
    }
  });
});

describe('isIsoDateTime', () => {
  it('accepts ISO 8601 date-times with an offset', () => {
    for (const value of ['2026-03-31T09:00:00Z', '2026-03-31T09:00Z', '2026-03-31T09:00:00.123Z', '2026-03-31T09:00:00+03:00', '2024-02-29T23:59:59-11:30']) expect(isIsoDateTime(value)).toBe(true);
  });

  it('refuses impossible days and times, missing offsets and other formats', () => {
    for (const value of ['2026-02-30T10:00:00Z', '2026-13-01T10:00:00Z', '2026-03-31T24:00:00Z', '2026-03-31T10:60:00Z', '2026-03-31T10:00:60Z', '2026-03-31T10:00:00', '2026-03-31', '2026-03-31T10:00:00+24:00', '+275760-09-13T00:00:00Z', 'Tue March 1', 5]) {
      expect(isIsoDateTime(value)).toBe(false);
    }
  });
});

describe('jsonProblem', () => {
  const nested = (depth: number): unknown => {
    let value: unknown = 1;
    for (let i = 0; i < depth; i += 1) value = { k: value };
    return value;
  };

  it('accepts values within the limits', () => {
    expect(jsonProblem({ stages: [{ key: 'lead', fields: ['a', 'b'] }], form: { x: null, y: true, z: 1.5 } })).toBeNull();
    expect(jsonProblem(nested(JSON_INPUT_LIMITS.maxDepth))).toBeNull();
  });

  it('refuses a value nested too deeply, naming where', () => {
    const problem = jsonProblem(nested(JSON_INPUT_LIMITS.maxDepth + 1));
    expect(problem?.message).toMatch(/nested too deeply/);
    expect(problem?.path).toEqual(Array(JSON_INPUT_LIMITS.maxDepth).fill('k'));
  });

  it('walks without recursion: 200 000 levels do not exhaust the stack', () => {
    let value: unknown[] = [];
    const root = value;
    for (let i = 0; i < 200_000; i += 1) {
      const child: unknown[] = [];
      value.push(child);
      value = child;
    }
    expect(jsonProblem(root)?.message).toMatch(/nested too deeply/);
  });

  it('refuses a value larger than the limit, stopping early', () => {
    expect(jsonProblem({ blob: 'x'.repeat(JSON_INPUT_LIMITS.maxBytes) })?.message).toMatch(/too large/);
    expect(jsonProblem(Array.from({ length: 100_000 }, () => ({ a: 1 })))?.message).toMatch(/too large/);
  });

  it('refuses unstorable text in values and keys', () => {
    expect(jsonProblem({ list: ['ok', 'a\u0000'] })).toEqual({ path: ['list', 1], message: TEXT_MESSAGES.nul });
    expect(jsonProblem({ ['k\ud800']: 1 })).toEqual({ path: ['k\ud800'], message: TEXT_MESSAGES.surrogate });
  });
});
