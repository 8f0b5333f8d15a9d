import crypto from 'node:crypto';

/**
 * The first 32 bits of the MD5 of a value's UTF-8 text (or of a blob's bytes), as an
 * unsigned integer: what PostgreSQL's and MySQL's checksum expressions compute, for
 * SQLite, which has no MD5 (registered as `dm_md5_32` on every pooled connection).
 */
export function md5First32(value: unknown): number | null {
  if (value === null || value === undefined) return null;
  const bytes = Buffer.isBuffer(value)
    ? value
    : Buffer.from(String(value), 'utf8');
  return crypto.createHash('md5').update(bytes).digest().readUInt32BE(0);
}
