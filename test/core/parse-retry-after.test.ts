import { describe, expect, it } from 'vitest';
import { parseRetryAfter, retryAfterFrom } from '../../src/core/parse-retry-after.js';

describe('parseRetryAfter', () => {
  const now = Date.parse('2015-10-21T07:27:30Z');

  it.each([
    ['0', 0],
    ['2', 2_000],
    [' 120 ', 120_000],
    ['Wed, 21 Oct 2015 07:28:00 GMT', 30_000],
    ['Wednesday, 21-Oct-15 07:28:00 GMT', 30_000],
    ['Wed Oct 21 07:28:00 2015', 30_000],
    ['Wed, 21 Oct 2015 07:00:00 GMT', 0],
  ])('%j → %i ms', (value, ms) => {
    expect(parseRetryAfter(value, now)).toBe(ms);
  });

  it.each([undefined, '', 'soon', '1.5', '-1', '2015-10-21', '99999999999999999999'])(
    '%j is unreadable: no wait is invented',
    (value) => {
      expect(parseRetryAfter(value, now)).toBeUndefined();
    },
  );

  it('retryAfterFrom reads the lower-case header, or adds nothing', () => {
    expect(retryAfterFrom({ 'retry-after': '3' })).toEqual({ retryAfterMs: 3_000 });
    expect(retryAfterFrom({})).toEqual({});
    expect(retryAfterFrom({ 'retry-after': 'later' })).toEqual({});
  });
});
