// The Hanoi simulator: places cameras, sensors and agencies in the areas, then publishes their events at a set rate.
import { createCamera } from './camera.ts';
import type { Emitter } from './emitter.ts';
import { placeCameras, placeSensors } from './placement.ts';
import { mulberry32 } from './prng.ts';
import { buildCycle } from './schedule.ts';
import { createSensor } from './sensor.ts';
import { createAgency, listAgencies } from './service.ts';
import { createFeedbackChannels, FEEDBACK_SHARE } from './feedback.ts';
import { createSecurityTools } from './security.ts';
import { inventoryOf, ownerOf } from './owners.ts';
import type { SimDevice, SimMessage, SimOptions, Simulator } from './types.ts';

// Publishing in slices this far apart spreads a high rate over the second instead of one burst per second.
const SLICE_MS = 50;
// Dossier events as a share of all events: a busy one-stop system, well below the sensor chatter.
const SERVICE_SHARE = 0.06;
// After a stall (a blocked event loop, a suspended laptop) catch up by at most this much, then move on.
const MAX_CATCH_UP_S = 1;

export function createSimulator(opts: SimOptions): Simulator {
  const { areas, rate } = opts;
  if (!(Number.isFinite(rate) && rate > 0)) {
    throw new RangeError(`simulator: rate must be a positive number of events per second (got ${rate})`);
  }
  if (areas.length === 0) throw new RangeError('simulator: areas must not be empty');
  for (const [name, value] of [
    ['cameras', opts.cameras],
    ['sensors', opts.sensors],
    ['agencies', opts.agencies],
  ] as const) {
    if (value !== undefined && !(Number.isInteger(value) && value >= 0)) {
      throw new RangeError(`simulator: ${name} must be a whole number ≥ 0 (got ${value})`);
    }
  }
  const seed = (opts.seed ?? 1) >>> 0;
  const now = opts.now ?? Date.now;
  const rng = mulberry32(seed);

  const cameras = placeCameras(areas, opts.cameras ?? 300, rng);
  const sensors = placeSensors(areas, opts.sensors ?? 200, rng);
  const agencies = listAgencies(areas, opts.agencies);

  const emitters: Emitter[] = [
    ...cameras.map((site) => createCamera(site, seed, rng)),
    ...sensors.map((site) => createSensor(site, seed, rng)),
  ];
  const deviceWeight = emitters.reduce((sum, e) => sum + e.weight, 0);
  // City departments see more dossiers than a single district's committee.
  const agencyShare = agencies.map((a) => (a.area === null ? 1.5 : 1));
  const shareTotal = agencyShare.reduce((a, b) => a + b, 0);
  const serviceWeight = deviceWeight > 0 ? (deviceWeight * SERVICE_SHARE) / (1 - SERVICE_SHARE) : agencies.length;
  agencies.forEach((agency, i) => {
    emitters.push(createAgency(agency, i, areas, (serviceWeight * agencyShare[i]!) / shareTotal));
  });
  if (deviceWeight > 0) emitters.push(...createFeedbackChannels(areas, deviceWeight * FEEDBACK_SHARE));
  const watched = agencies.map((a) => ({ id: a.id, area: a.area === null ? null : areas[a.area]!.code }));
  emitters.push(
    ...createSecurityTools(
      watched,
      areas.map((a) => a.code),
      1,
    ),
  );
  if (emitters.length === 0) throw new RangeError('simulator: no cameras, sensors or agencies to simulate');

  const devices: SimDevice[] = [
    ...cameras.map((s): SimDevice => ({
      family: 'camera',
      id: s.id,
      topic: `city/camera/${s.id}`,
      area: areas[s.area]!.code,
      lon: s.lon,
      lat: s.lat,
      owner: ownerOf(s.id, 'camera'),
    })),
    ...sensors.map((s): SimDevice => ({
      family: 'sensor',
      id: s.id,
      topic: `city/sensor/${s.id}`,
      kind: s.kind,
      area: areas[s.area]!.code,
      lon: s.lon,
      lat: s.lat,
      owner: ownerOf(s.id, s.kind),
    })),
    ...agencies.map((a): SimDevice => ({
      family: 'service',
      id: a.id,
      topic: `city/service/${a.id}`,
      name: a.name,
      area: a.area === null ? null : areas[a.area]!.code,
      // A public-service source is its agency.
      owner: { agency: a.id, agencyName: a.name, model: null, installedOn: null, maintenance: 'in_service' },
    })),
  ];

  const cycle = buildCycle(emitters, rng);
  let position = 0;
  let timer: ReturnType<typeof setInterval> | null = null;

  /** The next device in the cycle reports at time t. */
  const emit = (t: number, tag: string, publish: (topic: string, payload: Buffer) => void): void => {
    // A source with nothing to say now (an agency at night) hands its turn to the next in the cycle.
    for (let tries = 0; tries < cycle.length; tries++) {
      const e = emitters[cycle[position]!]!;
      position = position + 1 === cycle.length ? 0 : position + 1;
      const payload = e.next(t, tag, rng);
      if (payload === null) continue;
      publish(e.topic, Buffer.from(payload));
      return;
    }
  };

  return {
    devices,
    inventory: inventoryOf(devices),
    start(publish) {
      if (timer !== null) throw new Error('simulator: already started');
      const startedAt = now();
      // Ids carry the start time, so a restarted simulator never repeats ids the engine has already seen.
      const tag = startedAt.toString(36);
      let emitted = 0;
      let last = startedAt;
      timer = setInterval(() => {
        const t = now();
        let n = Math.floor(((t - startedAt) * rate) / 1000) - emitted;
        const cap = Math.ceil(rate * MAX_CATCH_UP_S);
        if (n > cap) {
          emitted += n - cap;
          n = cap;
        }
        // Events in a slice are stamped across it, as devices on their own clocks would be.
        for (let k = 1; k <= n; k++) emit(Math.round(last + ((t - last) * k) / n), tag, publish);
        emitted += n;
        last = t;
      }, SLICE_MS);
      // The simulator alone must not keep a process alive.
      timer.unref?.();
    },
    stop() {
      if (timer !== null) clearInterval(timer);
      timer = null;
    },
    generate(count, atMs) {
      const out: SimMessage[] = [];
      const tag = atMs.toString(36);
      const push = (topic: string, payload: Buffer) => out.push({ topic, payload });
      for (let k = 0; k < count; k++) emit(atMs + Math.floor((k * 1000) / rate), tag, push);
      return out;
    },
  };
}
