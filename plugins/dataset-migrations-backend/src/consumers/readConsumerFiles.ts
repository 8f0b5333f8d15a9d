import type { UrlReaderService } from '@backstage/backend-plugin-api';

/** One file of a consumer's code, as read. */
export type ConsumerSourceFile = { url: string; text: string };

/** Files one consumer's glob may match: more is a glob written too wide. */
const MAX_FILES = 200;
/** A query file larger than this is not hand-written SQL. */
const MAX_FILE_BYTES = 1024 * 1024;

/**
 * Reads the files a consumer's glob matches through the URL reader (an SCM
 * integration, or `file:` for entities registered from files), in URL order.
 */
export async function readConsumerFiles(
  urlReader: UrlReaderService,
  globUrl: string,
): Promise<ConsumerSourceFile[]> {
  const { files } = await urlReader.search(globUrl);
  if (files.length > MAX_FILES) {
    throw new Error(
      `${globUrl} matches ${files.length} files, more than ${MAX_FILES}; narrow the glob`,
    );
  }
  const read: ConsumerSourceFile[] = [];
  for (const file of [...files].sort((a, b) => a.url.localeCompare(b.url))) {
    const content = await file.content();
    if (content.length > MAX_FILE_BYTES) {
      throw new Error(
        `${file.url} is larger than 1 MB; leave generated or data files out of the glob`,
      );
    }
    read.push({ url: file.url, text: content.toString('utf8') });
  }
  return read;
}
