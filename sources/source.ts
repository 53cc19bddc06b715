// The one interface every connector speaks: a stream of raw messages, each acknowledged after its batch is committed.

export interface RawMessage {
  /** Which connector received it: 'mqtt', 'nats', 'http', 'replay', 'simulate'. */
  source: string;
  /** MQTT topic or NATS subject, e.g. city/camera/cam-001. */
  topic: string;
  payload: Uint8Array;
  /** Epoch ms at which the connector received it. */
  receivedAt: number;
  /** Tells the broker the message is safe; called once, only after its batch is committed. */
  ack(): void;
}

export type SourceStatus =
  | { type: 'connecting'; url: string }
  | { type: 'connected'; url: string }
  | { type: 'reconnecting'; url: string; attempt: number; error?: string }
  | { type: 'closed'; reason: string };

/** What a connector holds for the engine, for health and metrics. */
export interface SourceStats {
  /** Delivered and not yet committed: what the connector's window bounds. */
  inFlight: number;
  /** Their payload bytes, bounded too. */
  inFlightBytes: number;
  /** Not yet acknowledged to the broker (in flight, or committed and waiting for an earlier message's commit). */
  unacknowledged: number;
  /** Messages thrown away because the engine was too far behind (only where the broker would not keep them). */
  dropped: number;
  /** Messages waiting at the broker for this consumer, where the broker says (JetStream); null otherwise. */
  lag: number | null;
}

/** A durable consumer's place in its stream: every sequence up to `ackFloor` is committed. */
export interface StreamPosition {
  stream: string;
  consumer: string;
  ackFloor: number;
}

export interface Source {
  readonly name: string;
  /** Begins delivering messages to `deliver`; resolves once subscribed (or rejects with a clear error). */
  start(deliver: (msg: RawMessage) => void): Promise<void>;
  /**
   * Stops delivering but stays connected, so that what was delivered can still be committed and acknowledged
   * (the first step of a graceful stop).
   */
  pause?(): Promise<void>;
  /** Stops receiving; messages not yet acknowledged are redelivered by the broker later. */
  stop(): Promise<void>;
  status(): SourceStatus;
  stats?(): SourceStats;
  /** A durable stream's connector: how far this engine has committed. */
  position?(): StreamPosition | null;
}

/**
 * The level separator of a topic: NATS subjects use dots and MQTT topics (and HTTP's stand-in topics) slashes, so a
 * device id may hold the other one. A message from elsewhere (a test, a bench) is told apart by what its topic holds.
 */
export function topicSeparator(topic: string, source?: string): '/' | '.' {
  if (source === 'nats') return '.';
  if (source === 'mqtt' || source === 'http') return '/';
  return topic.includes('/') ? '/' : '.';
}

/**
 * `city/camera/cam-1` or `city.camera.cam-1` → 'camera'; undefined unless the topic is exactly `city`, a family and a
 * non-empty device id. Whether that family exists is the engine's to say (engine/decode.ts words the refusal).
 */
export function familyOfTopic(topic: string, source?: string): string | undefined {
  const sep = topicSeparator(topic, source);
  // Index arithmetic rather than split: this runs once per message on the hot path.
  if (!topic.startsWith(sep === '/' ? 'city/' : 'city.')) return undefined;
  const end = topic.indexOf(sep, 5);
  if (end <= 5 || end === topic.length - 1 || topic.indexOf(sep, end + 1) !== -1) return undefined;
  return topic.slice(5, end);
}
