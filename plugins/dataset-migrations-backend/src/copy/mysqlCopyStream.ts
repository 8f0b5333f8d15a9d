import type { Knex } from 'knex';
import { finished } from 'node:stream/promises';
import { from as copyFrom } from 'pg-copy-streams';
import type { PgConnection } from './pgCopyWriter';

/** Rows per chunk handed to COPY: one socket write each, not one per row. */
const ROWS_PER_CHUNK = 500;

/** A mysql2 query as far as reading its rows one by one needs it. */
type MysqlQuery = {
  on(event: 'result', listener: (values: unknown[]) => void): MysqlQuery;
  on(event: 'end', listener: () => void): MysqlQuery;
  on(event: 'error', listener: (error: Error) => void): MysqlQuery;
};

/** A mysql2 connection as knex hands it out, as far as streaming a result needs it. */
type MysqlConnection = {
  query(options: { sql: string; rowsAsArray: boolean }): MysqlQuery;
  pause(): void;
  resume(): void;
  destroy(): void;
  __knex__disposed?: unknown;
};

/** What a streamed SELECT wrote: its row count and the last row's values. */
export type StreamedRows = { rows: number; last: unknown[] | null };

/**
 * Streams the rows of `select` (a SELECT on the MySQL/MariaDB `source`, read as arrays)
 * into `copyIn` (a `COPY … FROM STDIN` on `target`, a knex transaction the caller
 * commits), each row turned into its COPY text line by `lineOf`. The source connection
 * stops reading while COPY is behind, so memory holds a few chunks however many rows the
 * SELECT returns. Rows go from the driver's events straight into chunks of text, with
 * no stream object per row in between: at a million rows those were most of the copy's
 * own time. A broken-off stream leaves both sessions mid-statement: neither connection
 * goes back to its pool then.
 */
export async function streamMysqlIntoCopy(
  source: Knex,
  target: Knex.Transaction,
  select: string,
  copyIn: string,
  lineOf: (values: unknown[]) => string,
): Promise<StreamedRows> {
  const reader = (await source.client.acquireConnection()) as MysqlConnection;
  const writer = (await target.client.acquireConnection()) as PgConnection;
  const result: StreamedRows = { rows: 0, last: null };
  try {
    const into = writer.query(copyFrom(copyIn)) as NodeJS.WritableStream;
    const written = finished(into);
    const read = new Promise<void>((resolve, reject) => {
      let chunk = '';
      let inChunk = 0;
      let isPaused = false;
      const send = () => {
        const isBehind = !into.write(chunk);
        chunk = '';
        inChunk = 0;
        if (isBehind && !isPaused) {
          isPaused = true;
          reader.pause();
          into.once('drain', () => {
            isPaused = false;
            reader.resume();
          });
        }
      };
      reader
        .query({ sql: select, rowsAsArray: true })
        .on('result', values => {
          try {
            chunk += lineOf(values);
          } catch (e) {
            reject(e);
            return;
          }
          result.rows += 1;
          result.last = values;
          if (++inChunk >= ROWS_PER_CHUNK) send();
        })
        .on('error', reject)
        .on('end', () => {
          if (chunk.length > 0) into.write(chunk);
          into.end();
          resolve();
        });
    });
    // Whichever side fails first ends the copy; the other is not waited for.
    await Promise.all([read, written]);
    return result;
  } catch (e) {
    // A result half read cannot be ended politely: close the socket.
    reader.destroy();
    reader.__knex__disposed = e;
    writer.__knex__disposed = e;
    throw e;
  } finally {
    await source.client.releaseConnection(reader);
    await target.client.releaseConnection(writer);
  }
}
