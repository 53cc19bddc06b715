// Riding out a NATS cluster that is electing leaders, as a replica starting with it must.

/** How long a start waits for a cluster that is electing its leaders (a node just restarted, or all of them). */
const ELECTION_WAIT_MS = 60_000;

/**
 * JetStream in a cluster answers "temporarily unavailable" (or not at all) while it elects the leaders of its streams
 * and consumers: a replica starting then waits for it rather than exiting. Anything else fails at once.
 */
export async function whileElecting<T>(step: () => Promise<T>): Promise<T> {
  const until = Date.now() + ELECTION_WAIT_MS;
  for (let attempt = 0; ; attempt++) {
    try {
      return await step();
    } catch (err) {
      const why = String((err as Error).message);
      if (!/temporarily unavailable|timeout/i.test(why) || Date.now() > until) throw err;
      await new Promise((r) => setTimeout(r, Math.min(2000, 250 * 2 ** attempt)));
    }
  }
}
