import { allRows } from '../dialects/rawRows';
import { ConnectionRegistry } from './ConnectionRegistry';
import { driverSettings } from './driverSettings';
import { engineConnection } from '../__testUtils__/engineConnections';
import { createTestDatabases } from '../__testUtils__/testDatabases';

jest.setTimeout(60_000);

describe('PostgreSQL sessions pin standard_conforming_strings', () => {
  const databases = createTestDatabases();

  it('is on, and a backslash in a literal is a backslash, on a database set to off', async () => {
    const config = await engineConnection(databases, 'POSTGRES_15', 'pg');
    const database = String(
      (config.connection as { database: string }).database,
    );
    const admin = new ConnectionRegistry(new Map([['pg', config]]));
    // A fresh session of this database would now default to off.
    await admin
      .get('pg')
      .raw(
        `ALTER DATABASE "${database}" SET standard_conforming_strings = off`,
      );
    await admin.destroy();

    const registry = new ConnectionRegistry(new Map([['pg', config]]));
    try {
      const rows = allRows(
        await registry
          .get('pg')
          .raw(
            `SELECT current_setting('standard_conforming_strings') AS scs, 'a\\b''c' AS v`,
          ),
      );
      expect(rows).toEqual([{ scs: 'on', v: "a\\b'c" }]);
    } finally {
      await registry.destroy();
    }
  });

  it('keeps options of its own in a connection string or object, adding the pin', () => {
    expect(
      driverSettings('pg', 'postgres://u@h/db?options=-c%20search_path%3Dx'),
    ).toMatchObject({
      connectionString:
        'postgres://u@h/db?options=-c+search_path%3Dx+-c+standard_conforming_strings%3Don',
    });
    expect(driverSettings('pg', 'postgres://u@h/db')).toMatchObject({
      connectionString: 'postgres://u@h/db',
      options: '-c standard_conforming_strings=on',
    });
    expect(
      driverSettings('pg', { host: 'h', options: '-c search_path=x' }),
    ).toMatchObject({
      host: 'h',
      options: '-c search_path=x -c standard_conforming_strings=on',
    });
  });
});
