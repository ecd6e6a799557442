import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { STORE_KINDS } from '../helpers/app.js';
import { tableCases } from './interactions.js';
import { buildWorld, type World } from './scenario.js';
import type { RoleCase } from './table.js';

/**
 * Runs rows of the visibility table (table.ts × interactions.ts) on every store kind, against one
 * world seeded per store kind and file: the cases only read, so they share it. `extra` adds
 * read-only tests on the same world.
 */
export function visibilitySuite(label: string, rows: readonly RoleCase[], extra?: (world: () => World) => void): void {
  describe.each(STORE_KINDS)(`${label} (%s store)`, (kind) => {
    let world: World;
    beforeAll(async () => {
      world = await buildWorld(kind);
    });
    afterAll(async () => {
      await world?.close();
    });

    for (const { title, row, interaction } of tableCases(rows)) {
      it(title, async () => {
        expect(await interaction.observe(world, row)).toEqual(interaction.expected(row));
      });
    }
    extra?.(() => world);
  });
}
