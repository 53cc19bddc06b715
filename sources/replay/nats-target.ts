// Replays into NATS on city.<family>.<device>: through JetStream (each publish confirmed, the event id as message id
// so a replay repeated within the stream's duplicate window is stored once) when a stream holds the subjects,
// else as core publishes.
import { jetstream, jetstreamManager } from '@nats-io/jetstream';
import { connect } from '@nats-io/transport-node';
import { Outstanding } from './outstanding.ts';
import { deviceOf, type Target } from './target.ts';

export async function openNatsTarget(url: string): Promise<Target> {
  const u = new URL(url);
  const nc = await connect({
    servers: `${u.hostname}:${u.port || '4222'}`,
    ...(u.username && u.password
      ? { user: decodeURIComponent(u.username), pass: decodeURIComponent(u.password) }
      : u.username
        ? { token: decodeURIComponent(u.username) }
        : {}),
  }).catch((err: Error) => {
    throw new Error(`cannot reach the NATS server at ${u.host}: ${err.message}`);
  });
  const streamed = await jetstreamManager(nc)
    .then((jsm) => jsm.streams.find('city.camera.replay'))
    .then(
      () => true,
      () => false,
    );
  const js = jetstream(nc);
  const outstanding = new Outstanding(1000);
  let sent = 0;
  return {
    label: `nats://${u.host}${streamed ? ' (JetStream)' : ' (core)'}`,
    async send(family, event) {
      const subject = `city.${family}.${deviceOf(family, event)}`;
      const data = JSON.stringify(event);
      if (streamed)
        await outstanding.add(
          js.publish(subject, data, typeof event.id === 'string' ? { msgID: event.id } : undefined),
        );
      else {
        nc.publish(subject, data);
        if (++sent % 1000 === 0) await nc.flush();
        return;
      }
      sent++;
    },
    async finish() {
      await outstanding.drain();
      await nc.flush();
      return { sent };
    },
    close: async () => {
      await nc.drain();
    },
  };
}
