// MQTT source: QoS 1 persistent session; each PUBACK waits until the message's batch is committed.
import mqtt, { type IPublishPacket, type MqttClient, type Packet } from 'mqtt';
import type { RawMessage, Source, SourceStats, SourceStatus } from '../source.ts';
import { MqttSourceConfig } from './config.ts';

type SendPacket = (packet: Packet, cb?: (err?: Error) => void, cbStorePut?: unknown, noStore?: boolean) => void;
interface ClientInternals {
  _sendPacket: SendPacket;
  handleMessage: (packet: IPublishPacket, cb: (err?: Error) => void) => void;
}

export class MqttSource implements Source {
  readonly name = 'mqtt';
  private readonly cfg: ReturnType<typeof MqttSourceConfig.parse>;
  private client: MqttClient | null = null;
  private state: SourceStatus;
  private attempt = 0;
  private readonly window: Window = { inFlight: 0, bytes: 0, max: 0, maxBytes: 0, paused: false, resume: null };

  constructor(config: MqttSourceConfig) {
    this.cfg = MqttSourceConfig.parse(config);
    this.state = { type: 'connecting', url: shown(this.cfg.url) };
  }

  status(): SourceStatus {
    return this.state;
  }

  stats(): SourceStats {
    return {
      inFlight: this.window.inFlight,
      inFlightBytes: this.window.bytes,
      unacknowledged: this.window.inFlight,
      dropped: 0,
      lag: null,
    };
  }

  async start(deliver: (msg: RawMessage) => void): Promise<void> {
    const c = this.cfg;
    const client = mqtt.connect(c.url, {
      clientId: c.clientId,
      clean: false,
      protocolVersion: c.protocolVersion,
      properties:
        c.protocolVersion === 5
          ? { receiveMaximum: c.receiveMaximum, sessionExpiryInterval: c.sessionExpirySeconds }
          : undefined,
      reconnectPeriod: c.reconnectMinMs,
      connectTimeout: 10_000,
      keepalive: 30,
      resubscribe: true,
      username: c.username,
      password: c.password,
    });
    this.client = client;
    this.window.max = c.receiveMaximum;
    this.window.maxBytes = c.maxInFlightBytes;
    holdAcks(client, this.window, (packet, ack) =>
      deliver({
        source: 'mqtt',
        topic: packet.topic,
        payload: packet.payload as Uint8Array,
        receivedAt: Date.now(),
        ack,
      }),
    );
    client.on('connect', () => {
      this.attempt = 0;
      this.state = { type: 'connected', url: shown(c.url) };
      client.options.reconnectPeriod = c.reconnectMinMs;
    });
    client.on('reconnect', () => {
      this.attempt++;
      // Back off exponentially, so a broker that is down is not hammered.
      client.options.reconnectPeriod = Math.min(c.reconnectMaxMs, c.reconnectMinMs * 2 ** this.attempt);
      this.state = { type: 'reconnecting', url: shown(c.url), attempt: this.attempt };
    });
    client.on('error', (err) => {
      if (this.state.type !== 'connected')
        this.state = { type: 'reconnecting', url: shown(c.url), attempt: this.attempt, error: err.message };
    });
    client.on('close', () => {
      if (this.state.type === 'connected')
        this.state = { type: 'reconnecting', url: shown(c.url), attempt: this.attempt };
    });

    await new Promise<void>((resolve, reject) => {
      let lastError = '';
      const fail = (why: string) => {
        clearTimeout(timer);
        client.removeListener('reconnect', onRetry);
        client.end(true);
        reject(
          new Error(
            `cannot reach the MQTT broker at ${shown(c.url)} (${why}): check MQTT_URL, or unset it to use the embedded broker`,
          ),
        );
      };
      // At start-up a broker that refuses three times in a row is a configuration problem, not a blip.
      const onRetry = () => {
        if (this.attempt >= 3) fail(lastError || 'connection refused');
      };
      const timer = setTimeout(() => fail('no answer within 10 s'), 10_000);
      client.on('error', (err) => {
        lastError = err.message;
      });
      client.on('reconnect', onRetry);
      client.once('connect', (connack) => {
        clearTimeout(timer);
        client.removeListener('reconnect', onRetry);
        // A resumed session keeps its subscriptions; subscribing again is harmless and covers a new one.
        client.subscribe(
          c.topics.map((t) => t),
          { qos: 1 },
          (err) => {
            if (err) reject(new Error(`MQTT subscribe to ${c.topics.join(', ')} failed: ${err.message}`));
            else resolve();
          },
        );
        void connack;
      });
    });
  }

  /** Delivers nothing more; later messages stay unacknowledged, so the broker sends them again next session. */
  async pause(): Promise<void> {
    this.window.paused = true;
    this.window.resume?.();
  }

  async stop(): Promise<void> {
    await this.pause();
    const client = this.client;
    this.client = null;
    if (!client) return;
    // A clean DISCONNECT keeps the session: whatever is still unacknowledged comes again next time.
    await client.endAsync(false);
    this.state = { type: 'closed', reason: 'stopped' };
  }
}

/** Delivered messages not yet committed, bounded by `max` (the receive maximum kept on our side too) and `maxBytes`. */
interface Window {
  inFlight: number;
  bytes: number;
  max: number;
  maxBytes: number;
  paused: boolean;
  resume: (() => void) | null;
}
const full = (w: Window): boolean => w.inFlight >= w.max || w.bytes >= w.maxBytes;

/**
 * mqtt.js sends the PUBACK right after its message handler returns and handles the next packet only then,
 * so holding the handler's callback would allow one message in flight. Instead the handler returns at once,
 * the automatic PUBACK is swallowed, and the real one goes out when the engine calls ack(). Only when
 * `window.max` messages (or `window.maxBytes` bytes) wait for their commit is the callback held: mqtt.js then stops reading, and TCP makes
 * the broker wait. An MQTT 5 broker stops at the receive maximum before that; MQTT 3.1.1 (the embedded broker)
 * has no receive maximum, and this is what bounds the engine's memory there.
 */
function holdAcks(
  client: MqttClient,
  window: Window,
  onMessage: (packet: IPublishPacket, ack: () => void) => void,
): void {
  const inner = client as unknown as ClientInternals;
  const send = inner._sendPacket.bind(client);
  const held = new Set<number>();
  inner._sendPacket = (packet, cb, cbStorePut, noStore) => {
    if (packet.cmd === 'puback' && packet.messageId !== undefined && held.delete(packet.messageId)) {
      cb?.();
      return;
    }
    send(packet, cb, cbStorePut, noStore);
  };
  inner.handleMessage = (packet, cb) => {
    if (packet.qos === 1 && packet.messageId !== undefined) {
      const id = packet.messageId;
      held.add(id);
      if (window.paused) {
        cb();
        return;
      }
      // The PUBACK must go on the connection that delivered the message; after a reconnect the broker redelivers instead.
      const stream = (client as unknown as { stream: unknown }).stream;
      const size = packet.payload.length;
      window.inFlight++;
      window.bytes += size;
      let acked = false;
      onMessage(packet, () => {
        if (acked) return;
        acked = true;
        window.inFlight--;
        window.bytes -= size;
        if (window.resume && !full(window)) window.resume();
        if ((client as unknown as { stream: unknown }).stream === stream && client.connected)
          send({ cmd: 'puback', messageId: id });
      });
    } else {
      if (window.paused) {
        cb();
        return;
      }
      onMessage(packet, () => undefined);
    }
    if (!full(window) || window.paused) {
      cb();
      return;
    }
    window.resume = () => {
      window.resume = null;
      cb();
    };
  };
}

/** The broker's URL as status and logs show it: never a password. */
function shown(url: string): string {
  try {
    const u = new URL(url);
    if (u.password) u.password = '***';
    return u.toString().replace(/\/$/, '');
  } catch {
    return url;
  }
}
