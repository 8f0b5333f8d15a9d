import request from 'supertest';
import { startTestPlugin } from './__testUtils__/testBackend';

describe('datasetMigrationsPlugin', () => {
  const config = {
    connections: {
      warehouse: {
        client: 'better-sqlite3',
        connection: { filename: ':memory:' },
      },
    },
  };

  it('serves health without auth and connection names without secrets', async () => {
    const server = await startTestPlugin({ config });

    await request(server)
      .get('/api/dataset-migrations/health')
      .expect(200, { status: 'ok' });

    const res = await request(server).get(
      '/api/dataset-migrations/connections',
    );
    expect(res.status).toBe(200);
    expect(res.body).toEqual({
      items: [{ name: 'warehouse', client: 'better-sqlite3' }],
    });
    expect(JSON.stringify(res.body)).not.toContain('filename');
  });

  it('refuses to start on invalid configuration, naming the key', async () => {
    await expect(
      startTestPlugin({
        config: {
          connections: { warehouse: { client: 'oracle', connection: 'x' } },
        },
      }),
    ).rejects.toThrow(/datasetMigrations\.connections\.warehouse\.client/);
  });

  it('refuses to start on a connection string that is not a URL, naming the key but not the string', async () => {
    const started = startTestPlugin({
      config: {
        connections: {
          lake: {
            client: 'pg',
            connection: 'postgres://u:p#ss-S3cret@db.internal/lake',
          },
        },
      },
    });
    await expect(started).rejects.toThrow(
      /datasetMigrations\.connections\.lake\.connection is not a valid postgresql:\/\/ URL/,
    );
    await expect(started).rejects.not.toThrow(/S3cret|db\.internal/);
  });
});
