// Publish → wall latency probes: one camera event a probe, each in a minute of its own two days back (the load is
// stamped now), so the city-wide row of that minute in a socket.io `indicator` update is the probe's.
import mqtt from 'mqtt';
import { io } from 'socket.io-client';
import { cameraEvent, cameras, nowStamp } from './events.ts';

const INDICATOR = 'traffic_flow';

export interface Probes {
  /** Stops probing and answers the latencies (ms) of the probes seen, after waiting `settleMs` for the last ones. */
  stop(settleMs?: number): Promise<{ sent: number; latencies: number[]; next: number }>;
}

/** `first`: the number of probes sent before on this engine (each has its minute), so a later series starts after them. */
export async function startProbes(opts: {
  engineUrl: string;
  mqttUrl: string;
  everyMs: number;
  first?: number;
}): Promise<Probes> {
  const base = Math.floor((Date.now() - 2 * 86_400_000) / 60_000) * 60_000;
  const cams = await cameras();
  const prober = await mqtt.connectAsync(opts.mqttUrl, { clientId: `bench-probe-${process.pid}`, clean: true });
  const socket = io(opts.engineUrl, { transports: ['websocket'] });
  await new Promise<void>((resolve, reject) => {
    socket.once('connect', resolve);
    socket.once('connect_error', reject);
  });
  await socket.emitWithAck('subscribe', { indicators: [INDICATOR] });
  const sentAt = new Map<number, number>();
  const latency = new Map<number, number>();
  socket.on('indicator', (change: { rows: { t: string; area: string }[] }) => {
    const now = Date.now();
    for (const row of change.rows) {
      if (row.area !== 'hanoi') continue;
      const sent = sentAt.get(Date.parse(row.t));
      if (sent !== undefined && !latency.has(Date.parse(row.t))) latency.set(Date.parse(row.t), now - sent);
    }
  });
  let n = opts.first ?? 0;
  const timer = setInterval(() => {
    const minute = base + n * 60_000;
    const camera = cams[n % cams.length]!;
    sentAt.set(minute, Date.now());
    prober.publish(
      `city/camera/${camera.id}`,
      cameraEvent(`probe${process.pid}`, n, nowStamp(minute + 30_000), camera),
      {
        qos: 1,
      },
    );
    n++;
  }, opts.everyMs);
  return {
    async stop(settleMs = 2500) {
      clearInterval(timer);
      await new Promise((r) => setTimeout(r, settleMs));
      socket.close();
      await prober.endAsync();
      return { sent: sentAt.size, latencies: [...latency.values()], next: n };
    },
  };
}
