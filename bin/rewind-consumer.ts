// After a restore, the engine's durable consumer is made again to start just after the backup's stream sequence, with
// the settings the engine itself gives a consumer it creates: it then replays only what the backup does not hold.
import {
  AckPolicy,
  DeliverPolicy,
  JetStreamApiCodes,
  JetStreamApiError,
  jetstreamManager,
  type JetStreamManager,
} from '@nats-io/jetstream';
import { nanos } from '@nats-io/transport-node';
import { consumerName } from '../engine/cluster/index.ts';
import type { Config } from '../engine/config.ts';
import { EngineError } from '../engine/errors.ts';
import type { BackupPosition } from '../engine/store/backup.ts';
import { NatsSourceConfig } from '../sources/nats/config.ts';
import { openConnection } from '../sources/nats/connect.ts';

/**
 * Checks that the stream still holds everything after `position` (refused otherwise, unless `force`), and returns the
 * step that rewinds the consumer, to run once the files are in place.
 */
export async function prepareRewind(
  config: Config,
  position: BackupPosition,
  force: boolean,
): Promise<() => Promise<string>> {
  const cfg = NatsSourceConfig.parse({
    url: config.natsUrl,
    stream: config.natsStream,
    consumer: consumerName(config),
    ackWaitMs: config.natsAckWaitMs,
    maxInFlight: config.natsMaxInFlight,
    name: 'ioc-restore',
  });
  const conn = await openConnection(cfg);
  const close = () => conn.nc.close().catch(() => undefined);
  let jsm: JetStreamManager;
  let wholeStream = false;
  try {
    jsm = await jetstreamManager(conn.nc);
    const info = await jsm.streams.info(cfg.stream).catch((err: unknown) => {
      throw new EngineError('not_found', `stream ${cfg.stream} cannot be read at NATS_URL: ${(err as Error).message}`);
    });
    const { first_seq: first, last_seq: last } = info.state;
    wholeStream = info.config.subjects?.length === 1 && info.config.subjects[0] === cfg.filterSubject;
    const problem =
      last < position.seq
        ? `stream ${cfg.stream} ends at sequence ${last}, before the backup's ${position.seq}: it is not the stream the backup was taken from`
        : first > position.seq + 1 && last > position.seq
          ? `stream ${cfg.stream} now starts at sequence ${first}: messages ${position.seq + 1}–${first - 1}, after the backup, are gone and cannot be replayed`
          : null;
    if (problem && !force)
      throw new EngineError('bad_request', `${problem}; pass --force to restore anyway, without them`);
  } catch (err) {
    await close();
    throw err;
  }
  return async () => {
    try {
      await jsm.consumers.delete(cfg.stream, cfg.consumer).catch((err: unknown) => {
        if (!(err instanceof JetStreamApiError && err.code === JetStreamApiCodes.ConsumerNotFound)) throw err;
      });
      // As the engine's own ensureConsumer makes it, but starting after the backup. A filter that is the stream's one
      // subject is left out: it selects the same messages, and nats-server 2.9 serves a filtered consumer that starts
      // at a sequence some 30 times slower (and misses its own pull heartbeats).
      await jsm.consumers.add(cfg.stream, {
        durable_name: cfg.consumer,
        ack_policy: AckPolicy.All,
        ack_wait: nanos(cfg.ackWaitMs),
        deliver_policy: DeliverPolicy.StartSequence,
        opt_start_seq: position.seq + 1,
        ...(wholeStream ? {} : { filter_subject: cfg.filterSubject }),
        max_deliver: -1,
        max_ack_pending: 2 * cfg.maxInFlight,
      });
      return `consumer ${cfg.consumer} of ${cfg.stream} starts again at sequence ${position.seq + 1}`;
    } catch (err) {
      throw new EngineError(
        'unavailable',
        `the files are restored, but consumer ${cfg.consumer} of ${cfg.stream} could not be made again (${(err as Error).message}): run ioc restore --force again before starting the engine`,
        { cause: err },
      );
    } finally {
      await close();
    }
  };
}
