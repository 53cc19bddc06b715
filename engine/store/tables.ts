// DDL of the stored tables and their staging twins, derived from the family column lists.
import { fromStage, stageType, type Connection } from '../db.ts';
import { FAMILIES, FAMILY_DEFS, type Column, type Family } from '../schema/index.ts';
import { createDeviceTables, recordRejects, recordSources } from './devices.ts';
import { createAreaTables } from './areas.ts';
import { createAgencyQualityView, createQualityView } from './quality.ts';
import { createRegistryTable } from '../registry/store.ts';
import { createDossierTable, recordDossiers } from './dossiers.ts';
import { createSecurityIncidentTable, recordSecurityIncidents } from './security-incidents.ts';
import { createSecurityStatsView } from './security-stats.ts';
import { createFeedbackReportTable, recordFeedbackReports } from './feedback-reports.ts';
import { createFeedbackByCategoryView } from './feedback-by-category.ts';
import { countRepeats, keyedTables, newRows, timeRanges } from './dedup.ts';
import { Bindings } from '../sql/index.ts';

export const DEAD_LETTER_COLUMNS = [
  { name: 'received_at', type: 'TIMESTAMPTZ' },
  { name: 'source', type: 'VARCHAR' },
  { name: 'topic', type: 'VARCHAR' },
  { name: 'payload', type: 'VARCHAR' }, // base64 in staging, BLOB when stored
  { name: 'reason', type: 'VARCHAR' },
] as const;

/** Per writer connection: the tables that still have a primary key on id (made by an earlier version). */
const KEYED = new WeakMap<Connection, Set<string>>();

const columnsOf = (f: Family): readonly Column<unknown>[] => FAMILY_DEFS[f].columns as readonly Column<unknown>[];

/**
 * Every raw row carries the sequence number of the batch that committed it: the analysts' replica copies what came
 * since the last batch it holds (see query/replica), however late a row's own times are. Not a wire field.
 */
export const BATCH_COLUMN = '_batch';

/** How each family's folded state (FamilyDef.folded) is made and kept, by its table. */
const FOLDS: Record<
  string,
  {
    create(conn: Connection): Promise<void>;
    /** Folds the staged events; may answer the event-time minutes whose windows it changed besides the events' own. */
    record(conn: Connection, stage: string): Promise<void | readonly number[]>;
  }
> = {
  dossiers: { create: createDossierTable, record: recordDossiers },
  security_incidents: { create: createSecurityIncidentTable, record: recordSecurityIncidents },
  feedback_reports: { create: createFeedbackReportTable, record: recordFeedbackReports },
};
const foldedTable = (f: Family): string | undefined => (FAMILY_DEFS[f] as { folded?: string }).folded;
const foldOf = (f: Family) => {
  const table = foldedTable(f);
  return table === undefined ? undefined : FOLDS[table];
};

/** Tables a batch commit writes besides the raw ones (device state, the families' folded states): copies follow them too. */
export const COMMIT_SIDE_TABLES: readonly string[] = ['devices', 'device_days', ...Object.keys(FOLDS)];

export function stageTable(f: Family): string {
  return `stage_${f}`;
}

export async function createTables(conn: Connection): Promise<void> {
  for (const f of FAMILIES) {
    const cols = columnsOf(f);
    // No key on id: dedup.ts finds repeats within the batch's stretches of event time, far cheaper than an index.
    const ddl = cols
      .map((c) => `${c.name} ${c.type}${c.name === 'id' || c.name === 'ts' ? ' NOT NULL' : ''}`)
      .join(', ');
    await conn.run(`CREATE TABLE IF NOT EXISTS ${FAMILY_DEFS[f].table} (${ddl}, ${BATCH_COLUMN} BIGINT)`);
    // Tables made by an earlier release: old rows keep NULL (the replica copies them whole at its start).
    await conn.run(`ALTER TABLE ${FAMILY_DEFS[f].table} ADD COLUMN IF NOT EXISTS ${BATCH_COLUMN} BIGINT`);
    await conn.run(
      `CREATE TEMP TABLE IF NOT EXISTS ${stageTable(f)} (${cols.map((c) => `${c.name} ${stageType(c.type)}`).join(', ')})`,
    );
  }
  await conn.run(
    `CREATE TABLE IF NOT EXISTS dead_letters (received_at TIMESTAMPTZ NOT NULL, source VARCHAR, topic VARCHAR, payload BLOB, reason VARCHAR NOT NULL, ${BATCH_COLUMN} BIGINT)`,
  );
  await conn.run(`ALTER TABLE dead_letters ADD COLUMN IF NOT EXISTS ${BATCH_COLUMN} BIGINT`);
  await conn.run(
    `CREATE TEMP TABLE IF NOT EXISTS stage_dead_letters (received_at DOUBLE, source VARCHAR, topic VARCHAR, payload VARCHAR, reason VARCHAR)`,
  );
  KEYED.set(conn, await keyedTables(conn));
  await createDeviceTables(conn);
  await createRegistryTable(conn);
  for (const f of FAMILIES) {
    const folded = foldedTable(f);
    if (folded !== undefined && !FOLDS[folded]) throw new Error(`family ${f} folds into ${folded}, which has no fold`);
  }
  for (const fold of Object.values(FOLDS)) await fold.create(conn);
  await createQualityView(conn);
  await createAgencyQualityView(conn);
  await createFeedbackByCategoryView(conn);
  await createSecurityStatsView(conn);
  await createAreaTables(conn);
}

/**
 * Moves the families' staged rows into their tables, the first of each id, skipping ids already stored in the
 * batch's stretches of event time (`spans`: [earliest, latest] per minute); answers how many of each were new. What
 * does not depend on the family (the repeats, the source registers) is one statement for the whole batch: a
 * statement costs DuckDB a few milliseconds whatever its rows, and a quiet city commits several batches a second.
 * `moved` gets, per family, the minutes its folded state changed besides its events' own (see FOLDS).
 */
export async function commitStaged(
  conn: Connection,
  families: readonly { f: Family; spans: Iterable<readonly [number, number]> }[],
  batch: number,
  moved?: Map<Family, readonly number[]>,
): Promise<Map<Family, number>> {
  const parts = families.map(({ f, spans }) => ({
    f,
    table: FAMILY_DEFS[f].table,
    stage: stageTable(f),
    ranges: timeRanges(spans),
  }));
  const repeats = await countRepeats(conn, parts);
  const inserted = new Map<Family, number>();
  for (const [i, { f, table, stage, ranges }] of parts.entries()) {
    const cols = columnsOf(f);
    // The batch number and the bounds go in as arguments: the text repeats from batch to batch and keeps its plan.
    const b = new Bindings();
    inserted.set(
      f,
      await conn.runPlanned(
        `INSERT ${KEYED.get(conn)?.has(table) ? 'OR IGNORE ' : ''}INTO ${table} (${cols.map((c) => c.name).join(', ')}, ${BATCH_COLUMN})
         SELECT ${cols.map((c) => fromStage(c.name, c.type)).join(', ')}, ${b.bigint(Math.trunc(batch))} FROM ${newRows(stage, table, ranges, repeats[i]!, b)}`,
        b,
      ),
    );
  }
  await recordSources(
    conn,
    parts.map((p) => [p.f, p.stage] as const),
  );
  for (const { f, stage } of parts) {
    const minutes = await foldOf(f)?.record(conn, stage);
    if (minutes && minutes.length > 0) moved?.set(f, minutes);
  }
  for (const p of parts) await conn.emptyScratch(p.stage);
  return inserted;
}

export async function commitDeadLetters(conn: Connection, batch: number): Promise<number> {
  await recordRejects(conn, 'stage_dead_letters');
  const b = new Bindings();
  const n = await conn.runPlanned(
    `INSERT INTO dead_letters SELECT ${fromStage('received_at', 'TIMESTAMPTZ')}, source, topic, from_base64(payload), reason, ${b.bigint(Math.trunc(batch))} FROM stage_dead_letters`,
    b,
  );
  await conn.emptyScratch('stage_dead_letters');
  return n;
}

export async function clearStaging(conn: Connection): Promise<void> {
  for (const f of FAMILIES) await conn.run(`DELETE FROM ${stageTable(f)}`);
  await conn.run('DELETE FROM stage_dead_letters');
}
