// The embedded MQTT broker's door when AUTH is on: the engine's own credentials, or a token as the password, each
// client's rights taken from the same groups of roles as the HTTP routes (publishing is ingesting; subscribing is reading).
import { randomBytes, timingSafeEqual } from 'node:crypto';
import type { BrokerGate, ClientRights, ConnectVerdict } from '../../sources/broker/index.ts';
import { mayReceive, type LiveFeed } from './live-feeds.ts';
import { GRANTS } from './roles.ts';
import type { Identity, TokenStore } from './tokens.ts';

export interface MqttCredentials {
  username?: string | undefined;
  password?: string | undefined;
}

/** The devices' own topics, `city/<family>/<id>`: what tokens may publish to and what the engine ingests. */
const DEVICE_ROOT = 'city';

/**
 * What the engine's own clients (its source, alert sink, simulator) log in with. MQTT_USERNAME/MQTT_PASSWORD when
 * set, as before; otherwise, when the embedded broker must check everyone, a secret made for this process, which
 * never leaves it. Otherwise none (AUTH off, the demo).
 */
export function engineMqttCredentials(given: MqttCredentials, embeddedWithAuth: boolean): MqttCredentials {
  if (given.username !== undefined || !embeddedWithAuth) return { username: given.username, password: given.password };
  return { username: 'ioc-engine', password: randomBytes(32).toString('base64url') };
}

const same = (a: string, b: string): boolean => {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
};

const levelsOf = (prefix: string): string[] => prefix.replace(/\/+$/, '').split('/');

/** Is every topic the filter matches under the prefix? Only if its first levels are the prefix's own, without wildcards. */
const under = (filter: readonly string[], prefix: string): boolean => levelsOf(prefix).every((p, i) => filter[i] === p);

/** Can the filter match some topic under the prefix (`city/#` can, with ALERT_MQTT_TOPIC=city/alerts)? */
const overlaps = (filter: readonly string[], prefix: string): boolean => {
  const p = levelsOf(prefix);
  for (let i = 0; i < p.length; i++) {
    if (filter[i] === '#') return true;
    if (filter[i] === undefined || (filter[i] !== '+' && filter[i] !== p[i])) return false;
  }
  return true;
};

/**
 * What a subscription filter reads: every feed it can reach, each of which the role must be allowed; null when it
 * reaches topics no rule covers (`#`, `+/…`, `$SYS/…`), which are refused as HTTP refuses a path without a route.
 */
export function feedsOfFilter(filter: string, alertTopic: string | undefined): LiveFeed[] | null {
  const levels = filter.split('/');
  if (alertTopic && under(levels, alertTopic)) return [{ type: 'alerts' }];
  if (levels[0] !== DEVICE_ROOT) return null;
  const family = levels[1];
  const events: LiveFeed = {
    type: 'device-events',
    family: family && family !== '+' && family !== '#' ? family : null,
  };
  return alertTopic && overlaps(levels, alertTopic) ? [events, { type: 'alerts' }] : [events];
}

export interface MqttGateOptions {
  tokens: TokenStore;
  /** The engine's own login (see engineMqttCredentials): every right. */
  engine: MqttCredentials;
  /** ALERT_MQTT_TOPIC: subscribing under it is reading alerts. */
  alertTopic?: string | undefined;
}

export function mqttGate(opts: MqttGateOptions): BrokerGate {
  const { tokens, engine, alertTopic } = opts;
  // Bumped by each change of the token file: rights check their token again only then, not on every publish.
  let generation = 0;
  const engineRights: ClientRights = {
    name: 'engine',
    mayPublish: () => true,
    maySubscribe: () => true,
    stillValid: () => true,
  };

  const tokenRights = (token: string, who: Identity): ClientRights => {
    // Publishing a device event is ingesting it: the roles of POST /api/ingest (devices, admin), on device topics only,
    // so a token can never publish where the engine's alerts (even an ALERT_MQTT_TOPIC under city/) or others' messages go.
    const ingests = GRANTS.ingest.includes(who.role);
    const alerts = alertTopic?.replace(/\/+$/, '');
    // On every publish: prefix tests, no splitting.
    const mayPublish = (topic: string): boolean =>
      ingests &&
      topic.startsWith(`${DEVICE_ROOT}/`) &&
      !(alerts && (topic === alerts || topic.startsWith(`${alerts}/`)));
    let checked = generation;
    let valid = true;
    return {
      name: who.name,
      mayPublish,
      maySubscribe: (filter) => feedsOfFilter(filter, alertTopic)?.every((feed) => mayReceive(who, feed)) ?? false,
      stillValid: () => {
        if (checked !== generation) {
          checked = generation;
          // A token file that cannot be read is no proof: fail closed.
          try {
            valid = tokens.verify(token) !== null;
          } catch {
            valid = false;
          }
        }
        return valid;
      },
    };
  };

  return {
    connect(username, password): ConnectVerdict {
      if (username === undefined && password === undefined) {
        return {
          type: 'refused',
          returnCode: 5,
          reason: 'AUTH is on: connect with a device token as the MQTT password (ioc token create --role device)',
        };
      }
      const secret = password?.toString('utf8') ?? '';
      if (
        engine.username !== undefined &&
        engine.password !== undefined &&
        username === engine.username &&
        same(secret, engine.password)
      ) {
        return { type: 'accepted', rights: engineRights };
      }
      let who: Identity | null;
      try {
        who = secret ? tokens.verify(secret) : null;
      } catch {
        return { type: 'refused', returnCode: 3, reason: 'the token file cannot be read' };
      }
      if (!who)
        return { type: 'refused', returnCode: 4, reason: 'the password is not a valid token, or it has been revoked' };
      return { type: 'accepted', rights: tokenRights(secret, who) };
    },
    watch(recheck) {
      return tokens.watch(() => {
        generation++;
        recheck();
      });
    },
  };
}
