// Valid wire events for tests, built the way devices send them.
export const T0 = Date.parse('2026-11-27T08:00:00+07:00');

export function camera(i: number, over: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    id: `cam-${i % 7}-${i}`,
    ts: new Date(T0 + i * 1000).toISOString(),
    cameraId: `cam-${i % 7}`,
    lat: 21.0285,
    lon: 105.8542,
    counts: { car: 3, motorbike: 20, bus: 1, truck: 0, bicycle: 2, pedestrian: 5 },
    intervalS: 60,
    avgSpeedKmh: 24.5,
    occupancy: 0.3,
    ...over,
  };
}

export function sensor(i: number, kind = 'air', over: Record<string, unknown> = {}): Record<string, unknown> {
  const metrics: Record<string, Record<string, unknown>> = {
    air: { pm25: 40 + (i % 10), pm10: 60 },
    water: { waterLevelCm: 10 + i, rainfallMm: 2 },
    noise: { laeqDb: 68 },
    weather: { temperatureC: 24, humidityPct: 80 },
    network: { downMbps: 35 + i, upMbps: 10, latencyMs: 30, operator: 'Viettel' },
  };
  return {
    id: `sen-${kind}-${i}`,
    ts: T0 + i * 1000,
    sensorId: `sen-${kind}-${i % 3}`,
    kind,
    lat: 21.017,
    lon: 105.8222,
    metrics: metrics[kind],
    ...over,
  };
}

export function service(i: number, over: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    id: `svc-${i}`,
    ts: new Date(T0 + i * 1000).toISOString(),
    dossierId: `HS-${i}`,
    procedure: 'Cấp giấy phép xây dựng',
    agency: 'ubnd-dong-da',
    status: 'completed',
    channel: 'online',
    level: 'full',
    dueAt: new Date(T0 + 86_400_000).toISOString(),
    onlinePayment: true,
    area: 'dong_da',
    ...over,
  };
}

export function security(i: number, over: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    id: `sec-${i}`,
    ts: new Date(T0 + i * 1000).toISOString(),
    incidentId: `INC-${i}`,
    agency: 'so-tttt',
    assetId: `srv-${i % 5}`,
    category: 'intrusion',
    severity: 'high',
    status: 'detected',
    detectedAt: new Date(T0 + i * 1000 - 20 * 60_000).toISOString(),
    source: 'siem-1',
    area: 'hoan_kiem',
    ...over,
  };
}

export function feedback(i: number, over: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    id: `fb-${i}`,
    ts: new Date(T0 + i * 1000).toISOString(),
    reportId: `PA-${i}`,
    category: 'waste',
    status: 'received',
    channel: 'app',
    lat: 21.0285,
    lon: 105.8542,
    // A report gets its due time when it is assigned, not when it comes in.
    ...over,
  };
}

/** A valid event of any family, over the defaults above. */
export function eventOf(
  family: string,
  i: number,
  over: Record<string, unknown> = {},
  kind?: string,
): Record<string, unknown> {
  switch (family) {
    case 'camera':
      return camera(i, over);
    case 'sensor':
      return sensor(i, kind, over);
    case 'service':
      return service(i, over);
    case 'security':
      return security(i, over);
    case 'feedback':
      return feedback(i, over);
    default:
      throw new Error(`no test events for family ${family}`);
  }
}

export const bytes = (v: unknown): Uint8Array =>
  new TextEncoder().encode(typeof v === 'string' ? v : JSON.stringify(v));
