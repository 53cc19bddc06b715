// Private brokers for a benchmark run (so nobody else's tests share their load), or a clear reason why there are none.
import { privateMosquitto, privateNats, type BrokerHandle } from '../../test/support/brokers.ts';

export type { BrokerHandle };

/** A private broker, or null after saying on stderr why its benchmarks are skipped. */
export async function privateBroker(kind: 'mosquitto' | 'nats-server'): Promise<BrokerHandle | null> {
  try {
    const handle = kind === 'mosquitto' ? await privateMosquitto() : await privateNats();
    if (handle) return handle;
    process.stderr.write(`skipped: ${kind} is not installed (apt-get install -y ${kind})\n`);
  } catch (err) {
    process.stderr.write(`skipped: ${kind} did not start: ${(err as Error).message}\n`);
  }
  return null;
}
