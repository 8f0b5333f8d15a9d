import type { TestDatabaseId } from '@backstage/backend-test-utils';
import { planFor } from '../../__testUtils__/planFor';
import { rule } from '../../__testUtils__/rule';
import { testConnections } from '../../__testUtils__/testConnections';
import { createTestDatabases } from '../../__testUtils__/testDatabases';
import { findConstraintNameClashes } from './findConstraintNameClashes';

jest.setTimeout(60_000);

describe('findConstraintNameClashes', () => {
  const databases = createTestDatabases();

  it.each(databases.eachSupportedId())(
    'blocks a plan whose constraint or index name the target already holds, on %p',
    async databaseId => {
      const db = await testConnections(databases, databaseId as TestDatabaseId);
      try {
        const { dialect: d, registry } = db;
        const knex = db.knex('source');
        const q = (n: string) => d.quote(n);
        await knex.raw(
          `CREATE TABLE ${q('items')} (${q(
            'id',
          )} integer NOT NULL PRIMARY KEY, ${q('parentId')} integer, ${q(
            'sku',
          )} varchar(20), ${q('note')} varchar(20),
           CONSTRAINT ${q('items_sku_key')} UNIQUE (${q('sku')}),
           CONSTRAINT ${q('items_parent_fk')} FOREIGN KEY (${q(
            'parentId',
          )}) REFERENCES ${q('items')} (${q('id')}))`,
        );
        await knex.raw(
          `CREATE INDEX ${q('items_note_idx')} ON ${q('items')} (${q('note')})`,
        );
        const plan = await planFor(
          registry,
          { connection: 'source', table: 'items' },
          [
            rule({
              name: 'move',
              renameColumns: 'snake_case',
              target: { connection: 'target', table: 'items_v2' },
            }),
          ],
        );
        expect(await findConstraintNameClashes(knex, d, plan)).toEqual([]);

        // Objects of the names the plan generates, in another case where the engine folds it.
        const other = `CREATE TABLE ${q('other')} (${q(
          'id',
        )} integer NOT NULL PRIMARY KEY, ${q('ref')} integer`;
        if (d.engine === 'postgres') {
          await knex.raw(`${other})`);
          await knex.raw(
            `CREATE INDEX ${q('items_v2_sku_key')} ON ${q('other')} (${q(
              'ref',
            )})`,
          );
        } else if (d.engine === 'mysql') {
          await knex.raw(
            `${other}, CONSTRAINT ${q(
              'ITEMS_V2_PARENT_ID_FKEY',
            )} FOREIGN KEY (${q('ref')}) REFERENCES ${q('items')} (${q(
              'id',
            )}))`,
          );
        } else {
          await knex.raw(`${other})`);
          await knex.raw(
            `CREATE INDEX ${q('ITEMS_V2_NOTE_IDX')} ON ${q('other')} (${q(
              'ref',
            )})`,
          );
        }
        const findings = await findConstraintNameClashes(knex, d, plan);
        expect(findings).toHaveLength(1);
        expect(findings[0]).toMatchObject({
          code: 'constraint-name-clash',
          severity: 'blocking',
        });
        expect(findings[0].message).toMatch(
          {
            postgres:
              /^The UNIQUE constraint on \(sku\) of the new table items_v2 would be named items_v2_sku_key, but .* already holds an object of that name/,
            mysql:
              /^The foreign key from items_parent_fk of the new table items_v2 would be named items_v2_parent_id_fkey, but .* already holds ITEMS_V2_PARENT_ID_FKEY, the same name to this engine/,
            sqlite:
              /^The index on \(note\) of the new table items_v2 would be named items_v2_note_idx, but .* already holds ITEMS_V2_NOTE_IDX, the same name to this engine/,
          }[d.engine],
        );
        expect(findings[0].message).toMatch(/rule \(target\.table\)/);
      } finally {
        await db.destroy();
      }
    },
  );
});
