import type { Knex } from 'knex';
import { allRows } from '../dialects/rawRows';

/**
 * The catch-up tests' source table `items`: `rows` rows with even ids, so odd ids are
 * gaps that writes during a move can fill behind and ahead of the copy.
 */
export async function seedItems(knex: Knex, rows: number): Promise<void> {
  await knex.raw(
    'CREATE TABLE items (id integer PRIMARY KEY, label varchar(40) NOT NULL, qty integer)',
  );
  const seed = Array.from({ length: rows }, (_, i) => ({
    id: 2 * (i + 1),
    label: `label-${i % 97}`,
    qty: i % 7 === 0 ? null : i,
  }));
  for (let i = 0; i < seed.length; i += 500)
    await knex('items').insert(seed.slice(i, i + 500));
}

/** A row of `items` as text, the same whichever engine holds it. */
export type ItemRow = { id: string; label: string; qty: string | null };

/** Every row of an `items` table (or its copy `table`), in key order, for comparing sides. */
export async function itemRows(knex: Knex, table: string): Promise<ItemRow[]> {
  return allRows(
    await knex.raw(`SELECT id, label, qty FROM ${table} ORDER BY id`),
  ).map(r => ({
    id: String(r.id),
    label: String(r.label),
    qty: r.qty === null ? null : String(r.qty),
  }));
}
