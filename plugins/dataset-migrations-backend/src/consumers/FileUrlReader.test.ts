import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { FileUrlReader } from './FileUrlReader';
import { removeTempDir } from '../__testUtils__/tempDir';

describe('FileUrlReader', () => {
  let dir: string;
  let root: string;
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dm-files-'));
    root = path.join(dir, 'repo');
    for (const [file, text] of Object.entries({
      'repo/queries/a.sql': 'SELECT 1;',
      'repo/queries/b.sql': 'SELECT 2;',
      'repo/queries/deep/c.sql': 'SELECT 3;',
      'repo/queries/notes.md': '#',
      'secret/password.sql': 'SELECT secret;',
    })) {
      fs.mkdirSync(path.dirname(path.join(dir, file)), { recursive: true });
      fs.writeFileSync(path.join(dir, file), text);
    }
  });
  afterEach(() => removeTempDir(dir));

  const url = (p: string) => pathToFileURL(path.join(dir, p)).toString();

  it('finds the files a glob matches, in name order, and reads them', async () => {
    const reader = new FileUrlReader([root]);
    const found = await reader.search(url('repo/queries/*.sql'));
    expect(found.files.map(f => f.url)).toEqual([
      url('repo/queries/a.sql'),
      url('repo/queries/b.sql'),
    ]);
    expect((await found.files[1].content()).toString()).toBe('SELECT 2;');
    const deep = await reader.search(url('repo/**/*.sql'));
    expect(deep.files).toHaveLength(3);
    const one = await reader.readUrl(url('repo/queries/a.sql'));
    expect((await one.buffer()).toString()).toBe('SELECT 1;');
    expect((await reader.search(url('repo/none/*.sql'))).files).toEqual([]);
  });

  it('reads nothing outside its roots, through paths or symbolic links', async () => {
    const reader = new FileUrlReader([root]);
    await expect(reader.readUrl(url('secret/password.sql'))).rejects.toThrow(
      /outside datasetMigrations\.consumers\.fileRoots/,
    );
    await expect(reader.search(url('repo/../secret/*.sql'))).rejects.toThrow(
      /outside datasetMigrations\.consumers\.fileRoots/,
    );
    fs.symlinkSync(
      path.join(dir, 'secret/password.sql'),
      path.join(root, 'queries/link.sql'),
    );
    const found = await reader.search(url('repo/queries/link.sql'));
    await expect(found.files[0].content()).rejects.toThrow(/leads outside/);
    await expect(reader.readUrl(url('repo/queries/link.sql'))).rejects.toThrow(
      /leads outside/,
    );
  });
});
