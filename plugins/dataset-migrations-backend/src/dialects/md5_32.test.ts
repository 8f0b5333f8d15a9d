import { md5First32 } from './md5_32';

describe('md5First32 (SQLite dm_md5_32)', () => {
  it.each([
    // The first 8 hex digits of well-known MD5 digests.
    ['', 0xd41d8cd9],
    ['abc', 0x90015098],
    ['The quick brown fox jumps over the lazy dog', 0x9e107d9d],
  ])('hashes the UTF-8 text %p', (text, expected) => {
    expect(md5First32(text)).toBe(expected);
  });

  it('hashes numbers as their text and blobs as their bytes', () => {
    expect(md5First32(123)).toBe(md5First32('123'));
    expect(md5First32(123)).toBe(0x202cb962);
    expect(md5First32(Buffer.from('abc'))).toBe(0x90015098);
    expect(md5First32(Buffer.from([0xff, 0x00]))).not.toBe(
      md5First32('\u00ff\u0000'),
    );
  });

  it('hashes unicode as UTF-8, not UTF-16', () => {
    expect(md5First32('ü')).toBe(md5First32(Buffer.from([0xc3, 0xbc])));
  });

  it('keeps NULL as NULL and returns unsigned 32-bit integers', () => {
    expect(md5First32(null)).toBeNull();
    expect(md5First32(undefined)).toBeNull();
    for (const text of ['a', 'b', 'c', 'Bestellübersicht', '数量']) {
      const value = md5First32(text)!;
      expect(Number.isInteger(value)).toBe(true);
      expect(value).toBeGreaterThanOrEqual(0);
      expect(value).toBeLessThanOrEqual(0xffffffff);
    }
  });
});
