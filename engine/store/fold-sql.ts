// SQL pieces of the tables folded from events in each batch (dossiers, citizen reports, security incidents): an upsert
// whose row is the same whatever order the events came in, the newer event (by `status_ts`) deciding.

/** An instant from epoch milliseconds, as the TIMESTAMPTZ the folded tables hold. */
export const utcOfMs = (ms: string): string => `(epoch_ms(${ms}::BIGINT) AT TIME ZONE 'UTC')`;

/** In `ON CONFLICT … DO UPDATE` of `table`: the newer side's value of column `c`. */
export const newerOf = (table: string, c: string): string =>
  `CASE WHEN excluded.status_ts >= ${table}.status_ts THEN excluded.${c} ELSE ${table}.${c} END`;

/** Likewise, but a value only one side knows is kept: a field the newer side knows wins. */
export const knownOf = (table: string, c: string): string =>
  `CASE WHEN excluded.${c} IS NULL THEN ${table}.${c} WHEN ${table}.${c} IS NULL THEN excluded.${c}
     WHEN excluded.status_ts >= ${table}.status_ts THEN excluded.${c} ELSE ${table}.${c} END`;
