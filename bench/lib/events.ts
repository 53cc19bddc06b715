// Camera events as devices send them (RFC 3339 time, position, counts), generated fast enough to load a broker at full rate.
import { loadAreas } from '../../engine/geo/index.ts';
import { rfc3339Hanoi } from '../../sources/simulate/clock.ts';
import { mulberry32 } from '../../sources/simulate/prng.ts';

export interface Camera {
  id: string;
  head: string;
}

/** 400 cameras placed inside Hanoi's districts: the engine assigns each event's area from its position, as in service. */
export async function cameras(count = 400, seed = 8): Promise<Camera[]> {
  const areas = await loadAreas();
  const random = mulberry32(seed);
  return Array.from({ length: count }, (_, c) => {
    const area = areas.areas[c % areas.areas.length]!;
    const [lon, lat] = areas.randomPoint(area.code, random);
    const id = `bench-cam-${String(c).padStart(3, '0')}`;
    return { id, head: `,"cameraId":"${id}","lat":${lat.toFixed(6)},"lon":${lon.toFixed(6)},"counts":{"car":` };
  });
}

/**
 * Event `i` of a run: a unique id (so dedup keeps every one), the given event time, counts that vary with `i`.
 * `extra` adds fields to the event (a probe's own `area`, say).
 */
export function cameraEvent(run: string, i: number, ts: string, camera: Camera, extra = ''): string {
  return (
    `{"id":"${run}-${i}","ts":"${ts}"${camera.head}${i % 40},"motorbike":${(i * 13) % 200},"bus":${i % 3},"truck":${(i * 5) % 7},` +
    `"bicycle":${(i * 3) % 11},"pedestrian":${(i * 11) % 23}},"intervalS":60,"avgSpeedKmh":${5 + ((i * 37) % 550) / 10},` +
    `"occupancy":${((i * 17) % 100) / 100}${extra}}`
  );
}

/** The event time devices would stamp now; recomputed at most once a millisecond by callers that cache it. */
export function nowStamp(ms = Date.now()): string {
  return rfc3339Hanoi(ms);
}

/** Message `m` of a run: one event, or a JSON array of `perMessage` events, on its camera's topic. */
export function message(
  run: string,
  m: number,
  perMessage: number,
  ts: string,
  cams: readonly Camera[],
  separator: '/' | '.',
): { topic: string; payload: string } {
  const camera = cams[m % cams.length]!;
  const topic = `city${separator}camera${separator}${camera.id}`;
  if (perMessage === 1) return { topic, payload: cameraEvent(run, m, ts, camera) };
  const parts: string[] = new Array(perMessage);
  for (let k = 0; k < perMessage; k++) parts[k] = cameraEvent(run, m * perMessage + k, ts, camera);
  return { topic, payload: `[${parts.join(',')}]` };
}
