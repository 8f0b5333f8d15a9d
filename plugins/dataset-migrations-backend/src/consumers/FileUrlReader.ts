import type {
  UrlReaderService,
  UrlReaderServiceReadTreeResponse,
  UrlReaderServiceReadUrlResponse,
  UrlReaderServiceSearchResponse,
} from '@backstage/backend-plugin-api';
import {
  ReadUrlResponseFactory,
  type ReaderFactory,
} from '@backstage/backend-defaults/urlReader';
import type { Config } from '@backstage/config';
import { NotAllowedError, NotFoundError } from '@backstage/errors';
import { Minimatch } from 'minimatch';
import fs from 'node:fs/promises';
import path from 'node:path';
import { Readable } from 'node:stream';
import { fileURLToPath, pathToFileURL } from 'node:url';

/** More files than a consumer's glob may match on disk: a glob this wide is a mistake. */
const MAX_FILES = 1000;

/** Where `datasetMigrations.consumers.fileRoots` lets consumer files be read from. */
export function readFileRoots(config: Config): string[] {
  const key = 'datasetMigrations.consumers.fileRoots';
  const roots = config.getOptionalStringArray(key) ?? [];
  return roots.map(root => path.resolve(root));
}

const isInside = (file: string, root: string) =>
  file === root || file.startsWith(`${root}${path.sep}`);

/**
 * Reads `file:` URLs for the URL reader service, so that consumers whose catalog
 * entities are registered from files (the demo, a monorepo checked out next to the
 * backend) are read the same way as those on an SCM integration. Backstage's own
 * readers cover http(s) hosts only. Reads stay inside the directories listed under
 * `datasetMigrations.consumers.fileRoots` (resolved against the backend's working
 * directory): a catalog entity cannot make the backend read any other file.
 */
export class FileUrlReader implements UrlReaderService {
  static factory: ReaderFactory = ({ config }) => {
    const roots = readFileRoots(config);
    if (roots.length === 0) return [];
    const reader = new FileUrlReader(roots);
    return [{ reader, predicate: url => url.protocol === 'file:' }];
  };

  constructor(private readonly roots: string[]) {}

  /** The path of a file: URL, refused unless inside a root. */
  private pathOf(url: string): string {
    const file = path.resolve(fileURLToPath(url));
    if (!this.roots.some(root => isInside(file, root))) {
      throw new NotAllowedError(
        `Reading ${url} is not allowed: it is outside datasetMigrations.consumers.fileRoots (${this.roots.join(
          ', ',
        )}); add its directory there`,
      );
    }
    return file;
  }

  /** A symbolic link inside a root may point outside it: the real path must be inside too. */
  private async confined(file: string): Promise<string> {
    const real = await fs.realpath(file);
    for (const root of this.roots) {
      const realRoot = await fs.realpath(root).catch(() => root);
      if (isInside(real, realRoot)) return real;
    }
    throw new NotAllowedError(
      `Reading ${file} is not allowed: it leads outside datasetMigrations.consumers.fileRoots`,
    );
  }

  async readUrl(url: string): Promise<UrlReaderServiceReadUrlResponse> {
    const file = this.pathOf(url);
    let content: Buffer;
    try {
      content = await fs.readFile(await this.confined(file));
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') {
        throw new NotFoundError(`No file at ${url}`);
      }
      throw e;
    }
    return ReadUrlResponseFactory.fromReadable(Readable.from(content));
  }

  async readTree(url: string): Promise<UrlReaderServiceReadTreeResponse> {
    throw new NotAllowedError(
      `Reading the tree at ${url} is not supported for file: URLs; use search with a glob`,
    );
  }

  /** The files a glob URL (`file:///repo/queries/*.sql`) matches, in name order. */
  async search(url: string): Promise<UrlReaderServiceSearchResponse> {
    const pattern = path.resolve(fileURLToPath(url)).split(path.sep).join('/');
    const matcher = new Minimatch(pattern, { dot: false });
    // Walk only below the pattern's fixed part, the directory before its first glob.
    const parts = matcher.set[0] ?? [];
    const globAt = parts.findIndex(part => typeof part !== 'string');
    // A pattern without a glob names one file: its directory is walked.
    const fixed = parts.slice(0, globAt < 0 ? parts.length - 1 : globAt);
    const base = this.pathOf(pathToFileURL(fixed.join('/') || '/').toString());
    let names: string[];
    try {
      names = (await fs.readdir(base, { recursive: true })) as string[];
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') {
        return { files: [], etag: '' };
      }
      throw e;
    }
    const matched = names
      .map(name => path.join(base, name))
      .filter(file => matcher.match(file.split(path.sep).join('/')))
      .sort();
    if (matched.length > MAX_FILES) {
      throw new NotAllowedError(
        `${url} matches more than ${MAX_FILES} files; narrow the glob`,
      );
    }
    const files = [];
    for (const file of matched) {
      const stat = await fs.stat(file);
      if (!stat.isFile()) continue;
      files.push({
        url: pathToFileURL(file).toString(),
        content: async () => fs.readFile(await this.confined(file)),
        lastModifiedAt: stat.mtime,
      });
    }
    return { files, etag: '' };
  }

  toString() {
    return `file{roots=${this.roots.join(',')}}`;
  }
}
