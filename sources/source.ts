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

export interface Source {
  readonly name: string;
  /** Begins delivering messages to `deliver`; resolves once subscribed (or rejects with a clear error). */
  start(deliver: (msg: RawMessage) => void): Promise<void>;
  /** Stops receiving; messages not yet acknowledged are redelivered by the broker later. */
  stop(): Promise<void>;
  status(): SourceStatus;
}

/** `city/camera/cam-1` or `city.camera.cam-1` → 'camera'. */
export function familyOfTopic(topic: string): string | undefined {
  const parts = topic.split(topic.includes('/') ? '/' : '.');
  return parts[0] === 'city' ? parts[1] : undefined;
}
