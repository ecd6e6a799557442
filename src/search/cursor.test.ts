import { describe, expect, it } from 'vitest';
import type { SortSpec } from '../store/store.js';
import { decodeCursor, encodeCursor } from './cursor.js';

const spec: SortSpec = [['lastUpdated', -1], ['id', 1]];

describe('paging cursor', () => {
  it('round-trips the direction and the keys of the anchor row', () => {
    const token = encodeCursor({ direction: 'previous', key: ['2024-01-01T00:00:00.000Z', 'a-1'] }, spec);
    expect(token).toMatch(/^[A-Za-z0-9_-]+$/);
    expect(decodeCursor(token, spec)).toEqual({ direction: 'previous', key: ['2024-01-01T00:00:00.000Z', 'a-1'] });
  });

  it('refuses a token made for another sort', () => {
    const token = encodeCursor({ direction: 'next', key: ['x', 'a'] }, spec);
    expect(() => decodeCursor(token, [['idx.date.lo', 1], ['id', 1]])).toThrow(expect.objectContaining({ status: 400, code: 'INVALID_CURSOR' }));
  });

  it('refuses garbage and tampered tokens with 400', () => {
    for (const raw of ['', 'not base64!', Buffer.from('{"d":"n","k":[{}],"s":"-lastUpdated,id"}').toString('base64url'), Buffer.from('[]').toString('base64url')]) {
      expect(() => decodeCursor(raw, spec)).toThrow(expect.objectContaining({ status: 400, code: 'INVALID_CURSOR' }));
    }
  });
});
