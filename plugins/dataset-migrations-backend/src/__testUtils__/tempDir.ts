import fs from 'node:fs';

/**
 * Removes a test's temporary folder, with retries: a SQLite database there, opened on
 * a worker thread, may still be closing its journal when the folder goes (ENOTEMPTY).
 */
export function removeTempDir(dir: string): void {
  fs.rmSync(dir, {
    recursive: true,
    force: true,
    maxRetries: 5,
    retryDelay: 100,
  });
}
