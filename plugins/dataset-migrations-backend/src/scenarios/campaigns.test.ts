/* eslint-disable jest/no-standalone-expect -- the tests run through `itOnEngine`,
   which runs them under CI=true and skips them elsewhere only when the engine is missing. */
import {
  mockCredentials,
  mockServices,
  type TestDatabaseId,
} from '@backstage/backend-test-utils';
import {
  type BackendFeature,
  createServiceFactory,
} from '@backstage/backend-plugin-api';
import { notificationService } from '@backstage/plugin-notifications-node';
import {
  datasetMigratePermission,
  datasetMigrationsAdminPermission,
} from '@internal/backstage-plugin-dataset-migrations-common';
import knexFactory, { Knex } from 'knex';
import request from 'supertest';
import { datasetEntity } from '../__testUtils__/datasetEntity';
import { engineConnection } from '../__testUtils__/engineConnections';
import { permissionsAs } from '../__testUtils__/permissionsAs';
import { startTestPlugin } from '../__testUtils__/testBackend';
import { createTestDatabases, itOn } from '../__testUtils__/testDatabases';

jest.setTimeout(180_000);

const API = '/api/dataset-migrations';
const ADMIN = 'user:default/admin';
const ALICE = 'user:default/alice'; // team-a
const BOB = 'user:default/bob'; // team-b
const TEAM_A = 'group:default/team-a';
const TEAM_B = 'group:default/team-b';
const MEMBERS: Record<string, string> = { [ALICE]: TEAM_A, [BOB]: TEAM_B };
const OWNERS: Record<string, string> = {
  'resource:default/t1': TEAM_A,
  'resource:default/t2': TEAM_A,
  'resource:default/t3': TEAM_B,
  'resource:default/t4': TEAM_B,
  'resource:default/t5': TEAM_B,
};

/** Admins administer; owners (and admins) migrate their datasets; nobody else. */
const policy = permissionsAs((permission, ref, user) => {
  if (user === ADMIN || user === 'service') return true;
  if (permission === datasetMigrationsAdminPermission.name) return false;
  if (permission === datasetMigratePermission.name) {
    return ref !== undefined && OWNERS[ref] === MEMBERS[user];
  }
  return true;
});

const as = (user: string) => mockCredentials.user.header(user);

async function seed(knex: Knex, tables: string[], rows = 50) {
  for (const table of tables) {
    await knex.schema.createTable(table, t => {
      t.integer('id').primary();
      t.string('label', 40).notNullable();
    });
    await knex(table).insert(
      Array.from({ length: rows }, (_, i) => ({
        id: i + 1,
        label: `${table}-${i}`,
      })),
    );
  }
}

/** Polls the campaign until `done` holds, failing with its last state otherwise. */
async function waitFor(
  server: any,
  id: string,
  done: (campaign: any) => boolean,
  what: string,
) {
  let last: any;
  for (let i = 0; i < 900; i++) {
    const res = await request(server)
      .get(`${API}/campaigns/${id}`)
      .set('authorization', as(BOB));
    last = res.body.campaign;
    if (last && done(last)) return last;
    await new Promise(r => setTimeout(r, 100));
  }
  throw new Error(
    `Campaign never reached ${what}: ${JSON.stringify({
      status: last?.status,
      reason: last?.statusReason,
      counts: last?.counts,
    })}`,
  );
}

const CAMPAIGN = {
  name: 'Move to v2',
  selector: { connections: ['warehouse'] },
  pacing: { maxRunning: 2, startsPerMinute: 600 },
  failureBudget: { window: 5, maxFailureRate: 0.5 },
};

describe('campaigns through the API', () => {
  const databases = createTestDatabases();

  async function start(id: TestDatabaseId, tables: string[]) {
    const warehouse = await engineConnection(databases, id, 'warehouse');
    const data = knexFactory({
      client: warehouse.client,
      connection: warehouse.connection as Knex.StaticConnectionConfig,
      useNullAsDefault: true,
    });
    await seed(data, tables);
    const sent: Array<{ to: string; title: string }> = [];
    const features: BackendFeature[] = [
      createServiceFactory({
        service: notificationService,
        deps: {},
        factory: () => ({
          async send(options: any) {
            sent.push({
              to: options.recipients.entityRef,
              title: options.payload.title,
            });
          },
        }),
      }),
    ];
    // The plugin's own state on the same engine as the datasets.
    if (id !== 'SQLITE_3') {
      features.push(
        mockServices.database.factory({ knex: await databases.init(id) }),
      );
    }
    const server = await startTestPlugin({
      config: {
        connections: {
          warehouse: {
            client: warehouse.client,
            connection: warehouse.connection,
          },
        },
        rules: [{ name: 'v2', target: { table: '{table}_v2' } }],
        executor: {
          workerSlots: 2,
          leaseSeconds: 5,
          retryBaseSeconds: 0.05,
          maxAttempts: 1,
        },
      },
      entities: tables.map(t =>
        datasetEntity(t, `warehouse:${t}`, OWNERS[`resource:default/${t}`]),
      ),
      permissions: policy,
      features,
    });
    return { server, data, sent };
  }

  describe.each(['SQLITE_3', 'POSTGRES_15', 'MYSQL_8'] as TestDatabaseId[])(
    'on %s',
    id => {
      const itOnEngine = itOn(databases, id);
      itOnEngine(
        'auto mode: a dry run names the blocked dataset, the rest move without a click, bulk finalize completes them, cancel skips what is left',
        async () => {
          const { server, data } = await start(id, [
            't1',
            't2',
            't3',
            't4',
            't5',
          ]);
          // t5's target already exists: a blocking finding.
          await data.schema.createTable('t5_v2', t => t.integer('id'));

          const forbidden = await request(server)
            .post(`${API}/campaigns`)
            .set('authorization', as(ALICE))
            .send({ ...CAMPAIGN, mode: 'auto', dryRun: true });
          expect(forbidden.status).toBe(403);

          const preview = await request(server)
            .post(`${API}/campaigns`)
            .set('authorization', as(ADMIN))
            .send({ ...CAMPAIGN, mode: 'auto', dryRun: true });
          expect(preview.status).toBe(200);
          expect(preview.body.campaign).toBeUndefined();
          // A SQLite view takes no writes: every SQLite plan warns so (read-only
          // compatibility view), and auto mode asks the owners instead of queueing.
          const eligible = id === 'SQLITE_3' ? 0 : 4;
          expect(preview.body.dryRun).toMatchObject({
            matched: 5,
            planClean: 4,
            autoEligible: eligible,
            blocked: 1,
            alreadyActive: 0,
          });
          expect(preview.body.dryRun.blockedReasons).toEqual([
            expect.objectContaining({
              code: 'target-exists',
              count: 1,
              examples: [
                expect.objectContaining({ entityRef: 'resource:default/t5' }),
              ],
            }),
          ]);
          // A dry run stores nothing.
          const none = await request(server)
            .get(`${API}/campaigns`)
            .set('authorization', as(BOB));
          expect(none.body.items).toEqual([]);

          const created = await request(server)
            .post(`${API}/campaigns`)
            .set('authorization', as(ADMIN))
            .send({ ...CAMPAIGN, mode: 'auto' });
          expect(created.status).toBe(201);
          const campaignId = created.body.campaign.id;
          expect(created.body.campaign).toMatchObject({
            status: 'active',
            total: 5,
            mode: 'auto',
          });

          if (eligible === 0) {
            await waitFor(
              server,
              campaignId,
              c => c.counts.awaiting_approval === 4,
              'four awaiting approval',
            );
            for (const t of ['t1', 't2', 't3', 't4']) {
              const [asked] = (
                await request(server)
                  .get(
                    `${API}/dataset-campaigns?entityRef=resource:default/${t}`,
                  )
                  .set('authorization', as(ADMIN))
              ).body.items;
              const approved = await request(server)
                .post(`${API}/campaigns/${campaignId}/approve`)
                .set('authorization', as(ADMIN))
                .send({ entityRef: asked.entityRef, planHash: asked.planHash });
              expect(approved.status).toBe(200);
            }
          }
          const moved = await waitFor(
            server,
            campaignId,
            c => c.counts.awaiting_cleanup === 4 && c.counts.blocked === 1,
            'four awaiting cleanup and one blocked',
          );
          expect(moved.blockedReasons[0]).toMatchObject({
            code: 'target-exists',
            count: 1,
          });
          expect(moved.owners).toEqual(
            expect.arrayContaining([
              expect.objectContaining({
                ownerRef: TEAM_B,
                total: 3,
                blocked: 1,
              }),
            ]),
          );
          // Each migration carries its campaign, and its plan was not made twice.
          const page = await request(server)
            .get(
              `${API}/campaigns/${campaignId}/datasets?state=awaiting_cleanup&limit=3`,
            )
            .set('authorization', as(BOB));
          expect(page.body.items).toHaveLength(3);
          expect(page.body.nextCursor).toEqual(expect.any(String));
          const rest = await request(server)
            .get(
              `${API}/campaigns/${campaignId}/datasets?state=awaiting_cleanup&limit=3&cursor=${page.body.nextCursor}`,
            )
            .set('authorization', as(BOB));
          expect(rest.body.items).toHaveLength(1);
          expect(rest.body.nextCursor).toBeNull();
          const migration = await request(server)
            .get(`${API}/migrations/${page.body.items[0].migrationId}`)
            .set('authorization', as(ADMIN));
          expect(migration.body.migration).toMatchObject({
            campaignId,
            planHash: page.body.items[0].planHash,
          });

          const notAdmin = await request(server)
            .post(`${API}/campaigns/${campaignId}/finalize`)
            .set('authorization', as(ALICE));
          expect(notAdmin.status).toBe(403);
          const finalized = await request(server)
            .post(`${API}/campaigns/${campaignId}/finalize`)
            .set('authorization', as(ADMIN));
          expect(finalized.status).toBe(200);
          expect(finalized.body.affected).toBe(4);
          const done = await waitFor(
            server,
            campaignId,
            c => c.counts.completed === 4,
            'four completed',
          );
          // Only the blocked dataset remains in the burndown.
          expect(done.burndown[0].remaining).toBe(5);
          expect(done.burndown[done.burndown.length - 1].remaining).toBe(1);
          expect(Number((await data('t1_v2').count({ n: '*' }))[0].n)).toBe(50);

          const cancelled = await request(server)
            .post(`${API}/campaigns/${campaignId}/cancel`)
            .set('authorization', as(ADMIN));
          expect(cancelled.body).toMatchObject({
            affected: 1,
            campaign: { status: 'cancelled' },
          });
          expect(cancelled.body.campaign.counts).toMatchObject({
            completed: 4,
            skipped: 1,
            blocked: 0,
          });
          const again = await request(server)
            .post(`${API}/campaigns/${campaignId}/resume`)
            .set('authorization', as(ADMIN));
          expect(again.status).toBe(409);
          await data.destroy();
        },
      );

      itOnEngine(
        'owner-approval mode: owners are asked and notified, a non-owner is refused, and a failing dataset spends the failure budget',
        async () => {
          const { server, data, sent } = await start(id, ['t1', 't2']);
          const created = await request(server)
            .post(`${API}/campaigns`)
            .set('authorization', as(ADMIN))
            .send({
              ...CAMPAIGN,
              mode: 'owner-approval',
              failureBudget: { window: 1, maxFailureRate: 0 },
            });
          expect(created.status).toBe(201);
          const campaignId = created.body.campaign.id;
          await waitFor(
            server,
            campaignId,
            c => c.counts.awaiting_approval === 2,
            'two awaiting approval',
          );

          const memberships = await request(server)
            .get(`${API}/dataset-campaigns?entityRef=resource:default/t1`)
            .set('authorization', as(ALICE));
          const [membership] = memberships.body.items;
          expect(membership).toMatchObject({
            campaignId,
            campaignName: 'Move to v2',
            state: 'awaiting_approval',
          });
          const approve = (user: string, entityRef: string, planHash: string) =>
            request(server)
              .post(`${API}/campaigns/${campaignId}/approve`)
              .set('authorization', as(user))
              .send({ entityRef, planHash });

          const refused = await approve(
            BOB,
            'resource:default/t1',
            membership.planHash,
          );
          expect(refused.status).toBe(403);
          const wrongHash = await approve(
            ALICE,
            'resource:default/t1',
            'f'.repeat(64),
          );
          expect(wrongHash.status).toBe(409);

          const approved = await approve(
            ALICE,
            'resource:default/t1',
            membership.planHash,
          );
          expect(approved.status).toBe(200);
          expect(approved.body.dataset).toMatchObject({
            approvedBy: ALICE,
          });
          await waitFor(
            server,
            campaignId,
            c => c.counts.awaiting_cleanup === 1,
            'one awaiting cleanup',
          );

          // t2's table goes away after its plan was approved: its migration fails.
          const t2 = (
            await request(server)
              .get(`${API}/dataset-campaigns?entityRef=resource:default/t2`)
              .set('authorization', as(ALICE))
          ).body.items[0];
          await data.schema.dropTable('t2');
          expect(
            (await approve(ALICE, 'resource:default/t2', t2.planHash)).status,
          ).toBe(200);
          const paused = await waitFor(
            server,
            campaignId,
            c => c.status === 'paused',
            'paused by its failure budget',
          );
          expect(paused.counts.failed).toBe(1);
          expect(paused.statusReason).toMatch(
            /Failure budget spent: 1 of the last 1 finished migrations failed/,
          );

          // Owners heard about the approval asked of them and about the failure; the
          // admin who created the campaign about the pause.
          for (let i = 0; i < 50 && sent.length < 5; i++) {
            await new Promise(r => setTimeout(r, 100));
          }
          expect(sent).toEqual(
            expect.arrayContaining([
              {
                to: TEAM_A,
                title:
                  'Campaign "Move to v2" asks to migrate resource:default/t1',
              },
              {
                to: TEAM_A,
                title: 'The migration of resource:default/t2 failed',
              },
              { to: ADMIN, title: 'Campaign "Move to v2" paused itself' },
            ]),
          );

          const resumed = await request(server)
            .post(`${API}/campaigns/${campaignId}/resume`)
            .set('authorization', as(ADMIN));
          expect(resumed.body.campaign).toMatchObject({
            status: 'active',
            statusReason: null,
          });
          await data.destroy();
        },
      );
    },
  );

  it('refuses a campaign request that is not well formed, naming the field', async () => {
    const server = await startTestPlugin({
      config: { connections: {} },
      permissions: policy,
    });
    // The spec's validator names the first field it refuses.
    const create = (body: object) =>
      request(server)
        .post(`${API}/campaigns`)
        .set('authorization', as(ADMIN))
        .send({ ...CAMPAIGN, mode: 'auto', ...body });
    const mode = await create({ mode: 'sometimes' });
    expect(mode.status).toBe(400);
    expect(mode.body.error.message).toMatch(
      /mode must be one of owner-approval, auto/,
    );
    const budget = await create({
      failureBudget: { window: 5, maxFailureRate: 10 },
    });
    expect(budget.status).toBe(400);
    expect(budget.body.error.message).toMatch(
      /failureBudget.maxFailureRate must be at most 1/,
    );
    const unknown = await request(server)
      .get(`${API}/campaigns/not-an-id`)
      .set('authorization', as(ADMIN));
    expect(unknown.status).toBe(400);
  });
});
