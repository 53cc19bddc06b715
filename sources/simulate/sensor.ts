// IoT sensors of five kinds, each with the contract's metric names and units, driven by the shared conditions.
import { hanoiHour, rfc3339Hanoi } from './clock.ts';
import { pm25Background, rainLastHours, rainMmPerHour, temperatureC, trafficDemand } from './conditions.ts';
import { fixed, type Emitter } from './emitter.ts';
import type { SensorSite } from './placement.ts';
import { clamp, normal, pickWeighted, type Rng } from './prng.ts';
import type { SensorKind } from './types.ts';

// Mobile operators by share of the sites.
const OPERATORS = ['Viettel', 'VNPT', 'MobiFone'] as const;
const OPERATOR_SHARES = [0.5, 0.3, 0.2];

type Metrics = (t: number, r: Rng) => string;

export function createSensor(site: SensorSite, seed: number, rng: Rng): Emitter {
  const head = `,"sensorId":"${site.id}","kind":"${site.kind}","lat":${fixed(site.lat, 6)},"lon":${fixed(site.lon, 6)},"metrics":`;
  const metrics = METRICS[site.kind](site, seed, rng);
  let seq = 0;
  return {
    topic: `city/sensor/${site.id}`,
    // Network probes run a speed test every few minutes rather than every minute.
    weight: site.kind === 'network' ? 0.5 : 1,
    next(t, tag, r) {
      seq++;
      return `{"id":"${site.id}-${tag}-${seq}","ts":"${rfc3339Hanoi(t)}"${head}${metrics(t, r)}}`;
    },
  };
}

const METRICS: Record<SensorKind, (site: SensorSite, seed: number, rng: Rng) => Metrics> = {
  air(site, seed, rng) {
    // Roadside stations read higher than those in parks and suburbs.
    const local = (site.urban ? 1.1 : 0.85) * Math.exp(0.15 * normal(rng));
    return (t, r) => {
      const hour = hanoiHour(t);
      const washout = 1 / (1 + rainMmPerHour(seed, site.area, t) / 10);
      const pm25 = pm25Background(seed, t) * local * washout * Math.exp(0.08 * normal(r));
      const traffic = trafficDemand(hour);
      const no2 = (site.urban ? 35 : 18) * (0.5 + 0.5 * traffic) * Math.exp(0.1 * normal(r));
      // Ozone builds up in the afternoon sun and is eaten by NO at night.
      const o3 = Math.max(
        2,
        25 + 70 * Math.max(0, Math.cos((2 * Math.PI * (hour - 14)) / 24)) * washout + 8 * normal(r),
      );
      return (
        `{"pm25":${fixed(pm25, 1)},"pm10":${fixed(pm25 * (1.6 + 0.2 * r()), 1)},"no2":${fixed(no2, 1)}` +
        `,"o3":${fixed(o3, 1)},"so2":${fixed(8 + 6 * r() * local, 1)},"co":${Math.round(600 + 900 * traffic * local + 150 * normal(r))}}`
      );
    };
  },
  water(site, seed, rng) {
    // A street inundation sensor: depth of water on the road, dry (0 cm) until the rain beats the drains.
    const response = 1.5 + 2.5 * rng();
    const drainsMm = 15 + 25 * rng();
    return (t, r) => {
      const lastHour = rainLastHours(seed, site.area, t, 1);
      const before = rainLastHours(seed, site.area, t - 3_600_000, 2);
      const depth = Math.max(0, response * (lastHour + 0.5 * before - drainsMm) + (lastHour > 0 ? 0.8 * normal(r) : 0));
      return `{"waterLevelCm":${fixed(depth, 1)},"rainfallMm":${fixed(lastHour, 1)}}`;
    };
  },
  noise(site, seed, rng) {
    const base = (site.urban ? 68 : 58) + 3 * normal(rng);
    return (t, r) => {
      const traffic = trafficDemand(hanoiHour(t));
      const rain = rainMmPerHour(seed, site.area, t) > 10 ? 2 : 0;
      const laeq = base + 8 * Math.log10(Math.max(traffic, 0.1)) + rain + 1.5 * normal(r);
      return `{"laeqDb":${fixed(clamp(laeq, 35, 100), 1)}}`;
    };
  },
  weather(site, seed, rng) {
    // Built-up districts are a little warmer (the heat island).
    const island = site.urban ? 1 : 0;
    const windiness = 0.7 + 0.6 * rng();
    return (t, r) => {
      const rain = rainMmPerHour(seed, site.area, t);
      const wet = Math.min(1, rain / 20);
      const temp = temperatureC(t) + island - 2.5 * wet + 0.4 * normal(r);
      const hour = hanoiHour(t);
      const humidity = clamp(78 + 8 * Math.cos((2 * Math.PI * (hour - 4)) / 24) + 15 * wet + 3 * normal(r), 35, 100);
      const wind = Math.max(0, windiness * (2 + 5 * wet + 0.8 * normal(r)));
      return (
        `{"temperatureC":${fixed(temp, 1)},"humidityPct":${fixed(humidity, 1)}` +
        `,"rainfallMm":${fixed(rainLastHours(seed, site.area, t, 1), 1)},"windMs":${fixed(wind, 1)}}`
      );
    };
  },
  network(site, _seed, rng) {
    const operator = OPERATORS[pickWeighted(rng, OPERATOR_SHARES)]!;
    // Site speeds spread round the 40 Mbps city target; a fifth or so of the sites fall short of it.
    const baseDown = (25 + 65 * rng()) * (site.urban ? 1 : 0.85);
    const baseLatency = 18 + 25 * rng();
    return (t, r) => {
      const hour = hanoiHour(t);
      // Evening streaming hours load the cells.
      const load = hour >= 19 && hour < 23 ? 0.8 : hour >= 11 && hour < 13 ? 0.9 : 1;
      const down = Math.max(1, baseDown * load * (1 + 0.12 * normal(r)));
      const up = down * (0.3 + 0.15 * r());
      const latency = Math.max(5, baseLatency / load + 4 * normal(r));
      return `{"downMbps":${fixed(down, 1)},"upMbps":${fixed(up, 1)},"latencyMs":${Math.round(latency)},"operator":"${operator}"}`;
    };
  },
};
