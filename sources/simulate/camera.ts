// A traffic camera: vehicle counts per reporting interval (Hanoi's traffic is three quarters motorbikes), speed, occupancy, queue.
import { hanoiHour, rfc3339Hanoi } from './clock.ts';
import { rainMmPerHour, trafficDemand } from './conditions.ts';
import { fixed, type Emitter } from './emitter.ts';
import type { Site } from './placement.ts';
import { clamp, count, normal, pick, type Rng } from './prng.ts';

// Share of each vehicle class in the flow (pedestrians are counted on top).
const MIX = { car: 0.15, motorbike: 0.75, bus: 0.015, truck: 0.025, bicycle: 0.03 } as const;
const PEDESTRIANS_PER_VEHICLE = 0.12;
// Small, rare incidents a video analytics box would flag on its own.
const RANDOM_INCIDENTS = ['accident', 'stopped_vehicle', 'wrong_way', 'crowd', 'fire'] as const;

export function createCamera(site: Site, seed: number, rng: Rng): Emitter {
  // Fixed traits of the spot: how busy the road is, how fast it flows when empty, how long its queues get.
  const busyness = Math.exp(0.35 * normal(rng));
  const baseVolume = site.urban ? 60 : 24;
  const freeSpeedKmh = (site.urban ? 34 : 50) + 6 * normal(rng);
  const queueScaleM = site.urban ? 300 : 150;
  const head = `,"cameraId":"${site.id}","lat":${fixed(site.lat, 6)},"lon":${fixed(site.lon, 6)},"counts":{"car":`;
  let seq = 0;
  let lastT: number | undefined;

  return {
    topic: `city/camera/${site.id}`,
    weight: 1,
    next(t, tag, r) {
      seq++;
      // Counts cover the time since this camera's previous report, so the vehicles per minute stay right at any SIM_RATE.
      const intervalS = lastT === undefined ? 60 : clamp((t - lastT) / 1000, 0.05, 3600);
      lastT = t;
      const rain = rainMmPerHour(seed, site.area, t);
      const wet = Math.min(1, rain / 30);
      // Demand relative to the road's capacity. Rain keeps some riders at home but slows everyone else down.
      const demand = trafficDemand(hanoiHour(t)) * busyness * (1 - 0.1 * wet);
      const volume = (baseVolume * demand * intervalS) / 60;
      const congestion = clamp((demand - 0.75) / 1.1 + 0.35 * wet, 0, 1);
      const speed = Math.max(3, freeSpeedKmh * (1 - 0.6 * congestion) * (1 - 0.3 * wet) * (1 + 0.08 * normal(r)));
      const occupancy = clamp(0.04 + 0.75 * congestion + 0.03 * normal(r), 0, 0.98);
      const queue = congestion > 0.35 ? (congestion - 0.35) * queueScaleM * (0.7 + 0.6 * r()) : 0;
      const vehicles =
        `${count(r, volume * MIX.car)},"motorbike":${count(r, volume * MIX.motorbike)},"bus":${count(r, volume * MIX.bus)}` +
        `,"truck":${count(r, volume * MIX.truck)},"bicycle":${count(r, volume * MIX.bicycle)}` +
        `,"pedestrian":${count(r, volume * PEDESTRIANS_PER_VEHICLE)}}`;
      return (
        `{"id":"${site.id}-${tag}-${seq}","ts":"${rfc3339Hanoi(t)}"${head}${vehicles}` +
        `,"intervalS":${Math.max(1, Math.round(intervalS))},"avgSpeedKmh":${fixed(speed, 1)},"occupancy":${fixed(occupancy, 3)},"queueM":${Math.round(queue)}` +
        `${incident(r, congestion, rain)}}`
      );
    },
  };
}

function incident(r: Rng, congestion: number, rain: number): string {
  const x = r();
  let type: string | undefined;
  if (rain > 25 && x < 0.03) type = 'flooding';
  else if (congestion > 0.85 && x < 0.01) type = 'congestion';
  else if (x < 0.002) type = pick(r, RANDOM_INCIDENTS);
  if (type === undefined) return '';
  return `,"incident":{"type":"${type}","confidence":${fixed(0.6 + 0.39 * r(), 2)}}`;
}
