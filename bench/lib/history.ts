// A stored history written straight into the event tables in one statement per family (three cameras for every air
// sensor, one event every `stepMs` up to `now`, spread over `areas`): millions of rows in seconds, no decode.
import type { Connection } from '../../engine/db.ts';

export async function writeHistory(
  writer: Connection,
  opts: { from: number; to: number; now: number; stepMs: number; areas: readonly string[]; total: number },
): Promise<void> {
  const { from, to, now, stepMs, areas, total } = opts;
  const codes = areas.map((c) => `'${c}'`).join(',');
  const ts = `epoch_ms(${now} - (${total} - i) * ${stepMs}) AT TIME ZONE 'UTC'`;
  const area = `[${codes}][1 + (i % ${areas.length})]`;
  await writer.run(`INSERT INTO camera_events (id, ts, camera_id, lat, lon, car, motorbike, bus, truck, bicycle, pedestrian, interval_s, avg_speed_kmh, occupancy, queue_m, area, received_at)
    SELECT 'h' || i, ${ts}, 'cam-' || (i % 300), 21.02, 105.84, i % 9, i % 60, i % 2, i % 3, i % 4, i % 7, 60, 10 + i % 40, (i % 100) / 100.0, 0, ${area}, ${ts}
    FROM range(${from}, ${to}) r(i) WHERE i % 4 <> 0`);
  await writer.run(`INSERT INTO sensor_events (id, ts, sensor_id, kind, lat, lon, pm25, area, received_at)
    SELECT 'h' || i, ${ts}, 'sen-' || (i % 200), 'air', 21.02, 105.84, 20 + i % 80, ${area}, ${ts}
    FROM range(${from}, ${to}) r(i) WHERE i % 4 = 0`);
  await writer.run('CHECKPOINT');
}
