import { foreignServerSettings } from './foreignServerSettings';

describe('foreignServerSettings', () => {
  const pair = { source: 'app', target: 'archive' };

  it('takes the target connection settings object', () => {
    expect(
      foreignServerSettings(pair, {
        name: 'archive',
        client: 'pg',
        connection: {
          host: 'db.internal',
          port: 5433,
          user: 'migrator',
          password: 'pw',
          database: 'archive',
        },
      }),
    ).toEqual({
      server: { host: 'db.internal', port: '5433', dbname: 'archive' },
      userMapping: { user: 'migrator', password: 'pw' },
    });
  });

  it('reads a connection string, decoding its parts', () => {
    expect(
      foreignServerSettings(pair, {
        name: 'archive',
        client: 'pg',
        connection: 'postgresql://mi%40grator:p%3Fw@db.internal/ar%20chive',
      }),
    ).toEqual({
      server: { host: 'db.internal', port: undefined, dbname: 'ar chive' },
      userMapping: { user: 'mi@grator', password: 'p?w' },
    });
  });

  it("lets the pair's overrides win", () => {
    expect(
      foreignServerSettings(
        { ...pair, host: '10.0.0.7', port: 6432, user: 'reader', password: '' },
        {
          name: 'archive',
          client: 'pg',
          connection: { host: 'db', user: 'migrator', password: 'pw' },
        },
      ),
    ).toEqual({
      server: { host: '10.0.0.7', port: '6432', dbname: undefined },
      userMapping: { user: 'reader', password: undefined },
    });
  });
});
