import { mockServices } from '@backstage/backend-test-utils';
import {
  MIGRATION_STEPS,
  Plan,
  StepName,
} from '@internal/backstage-plugin-dataset-migrations-common';
import { ConnectionRegistry } from '../connections/ConnectionRegistry';
import { KnexMigrationStore } from '../store/KnexMigrationStore';
import { createTestMigration, testStore } from '../__testUtils__/testStore';
import { DEFAULT_EXECUTOR_SETTINGS } from './ExecutorSettings';
import { MigrationRunner } from './MigrationRunner';
import { PermanentStepError, Step, StepContext } from './steps/Step';

/**
 * The runner's own policy (attempts, backoff, rollback order, crashes that are not
 * failures), with steps that fail on cue: the steps themselves are tested on real
 * engines elsewhere.
 */
describe('MigrationRunner', () => {
  let store: KnexMigrationStore;
  let closeStore: () => Promise<void>;
  let registry: ConnectionRegistry;
  let calls: string[];

  beforeEach(async () => {
    ({ store, destroy: closeStore } = await testStore());
    registry = new ConnectionRegistry(
      new Map([
        [
          'src',
          {
            name: 'src',
            client: 'better-sqlite3' as const,
            connection: { filename: ':memory:' },
          },
        ],
      ]),
    );
    calls = [];
  });
  afterEach(async () => {
    await registry.destroy();
    await closeStore();
  });

  /** Steps that record their calls; `fail` says how a step's n-th run or undo ends. */
  function stepsWith(
    fail: Partial<
      Record<string, (n: number, ctx: StepContext) => Error | undefined>
    > = {},
  ): Step[] {
    const counts = new Map<string, number>();
    const attempt = async (key: string, ctx: StepContext) => {
      const n = (counts.get(key) ?? 0) + 1;
      counts.set(key, n);
      calls.push(key);
      const error = fail[key]?.(n, ctx);
      if (error) throw error;
    };
    return MIGRATION_STEPS.map(name => ({
      name,
      run: ctx => attempt(`run:${name}`, ctx),
      undo: ctx => attempt(`undo:${name}`, ctx),
    }));
  }

  async function start(steps: Step[], maxAttempts = 3) {
    const runner = new MigrationRunner({
      store,
      connections: registry,
      settings: { ...DEFAULT_EXECUTOR_SETTINGS, maxAttempts, retryBaseMs: 1 },
      logger: mockServices.logger.mock(),
      steps,
    });
    const plan = {
      hash: 'h',
      entityRef: 'resource:default/items',
      agent: { id: 'sql', version: '1.0.0' },
      source: { connection: 'src', table: 'items' },
      target: { connection: 'src', table: 'items_v2' },
      compatibility: 'view',
    } as unknown as Plan;
    const { id } = await createTestMigration(store, plan);
    const drive = async (signal = new AbortController().signal) =>
      runner.run((await store.getMigration(id))!, 'w1', signal);
    const step = async (name: StepName) =>
      (await store.getMigration(id))!.steps.find(s => s.name === name)!;
    return { id, drive, step };
  }

  it('retries a failing step up to maxAttempts with backoff, then undoes what ran, newest first', async () => {
    const { id, drive, step } = await start(
      stepsWith({ 'run:copy': () => new Error('copy broke') }),
    );
    for (let i = 0; i < 5; i++) await drive();
    const migration = (await store.getMigration(id))!;
    expect(migration.status).toBe('failed');
    expect(migration.error).toMatch(
      /Step copy of resource:default\/items failed: copy broke\. Gave up after 3 attempts/,
    );
    expect(calls).toEqual([
      'run:preflight',
      'run:provision',
      'run:copy',
      'run:copy',
      'run:copy',
      'undo:copy',
      'undo:provision',
      'undo:preflight',
    ]);
    expect((await step('copy')).attempts).toBe(3);
    expect(await store.countEvents(id, 'step.retry', 'copy')).toBe(2);
    // Each retry gave the lease back with a delay for the backoff.
    const retries = (await store.listEvents(id)).filter(
      e => e.type === 'step.retry',
    );
    expect(retries.every(e => Number(e.data?.delayMs) >= 0)).toBe(true);
  });

  it("writes a progress report's event with it, as the step's log", async () => {
    const steps = stepsWith();
    const provision = steps.find(s => s.name === 'provision')!;
    provision.run = ctx =>
      ctx.progress({
        done: 1,
        total: 1,
        unit: 'tables',
        event: { message: 'Capturing writes', data: { tables: 1 } },
      });
    const { id, drive, step } = await start(steps);
    await drive();
    expect((await step('provision')).progress).toEqual(
      expect.objectContaining({ done: 1, total: 1, unit: 'tables' }),
    );
    const logged = (await store.listEvents(id)).filter(
      e => e.type === 'step.log',
    );
    expect(logged).toEqual([
      expect.objectContaining({
        step: 'provision',
        message: 'Capturing writes',
        data: { tables: 1 },
      }),
    ]);
  });

  it('gives up at once on a failure retrying cannot fix', async () => {
    const { id, drive } = await start(
      stepsWith({ 'run:verify': () => new PermanentStepError('rows differ') }),
    );
    await drive();
    expect((await store.getMigration(id))!.error).toMatch(
      /rows differ\. Retrying cannot fix this/,
    );
    expect(calls.filter(c => c === 'run:verify')).toHaveLength(1);
  });

  it('resumes a step its worker never finished as the same attempt, and does not count a lost lease', async () => {
    const controller = new AbortController();
    const { id, drive, step } = await start(
      stepsWith({
        // The lease is lost mid-copy: the worker's signal aborts, then the step throws.
        'run:copy': n => {
          if (n > 1) return undefined;
          controller.abort(new Error('lease lost'));
          return new Error('interrupted');
        },
      }),
    );
    await drive(controller.signal);
    expect(await step('copy')).toMatchObject({
      status: 'pending',
      attempts: 0,
    });

    // A crash leaves a step `running` in the store: the next worker resumes it.
    await store.updateStep(id, 'catch-up', { status: 'running', attempts: 1 });
    await drive();
    expect((await step('copy')).attempts).toBe(1);
    expect((await step('catch-up')).attempts).toBe(1);
    const resumed = (await store.listEvents(id)).filter(e =>
      /resumed after its worker was lost/.test(e.message),
    );
    expect(resumed.map(e => e.step)).toEqual(['catch-up']);
    expect((await store.getMigration(id))!.status).toBe('awaiting_cleanup');
  });

  it('retries an undo that fails with backoff and never leaves a rollback half-way', async () => {
    const { id, drive } = await start(
      stepsWith({
        'run:verify': () => new PermanentStepError('rows differ'),
        'undo:copy': n => (n <= 2 ? new Error('target busy') : undefined),
      }),
    );
    for (let i = 0; i < 5; i++) await drive();
    expect((await store.getMigration(id))!.status).toBe('failed');
    expect(await store.countEvents(id, 'undo.retry', 'copy')).toBe(2);
    expect(calls.slice(-6)).toEqual([
      'undo:catch-up',
      'undo:copy',
      'undo:copy',
      'undo:copy',
      'undo:provision',
      'undo:preflight',
    ]);
  });
});
