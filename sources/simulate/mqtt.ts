// The simulator on an MQTT broker: its devices publish there at QoS 1, as the city's own would.
import mqtt from 'mqtt';
import { createSimulator } from './simulator.ts';
import type { SimDevice, SimOptions } from './types.ts';

interface MqttSimOptions extends SimOptions {
  /** The broker's address, e.g. mqtt://127.0.0.1:1883. */
  url: string;
  username?: string | undefined;
  password?: string | undefined;
}

interface MqttSimulator {
  readonly devices: readonly SimDevice[];
  readonly inventory: readonly SimDevice[];
  /** Stops publishing and lets the connection close on its own. */
  stop(): void;
}

/** Connects to the broker, then publishes until stop(). */
export async function startMqttSimulator(opts: MqttSimOptions): Promise<MqttSimulator> {
  const { url, username, password, ...simOptions } = opts;
  const sim = createSimulator(simOptions);
  const clientId = `ioc-simulator-${process.pid}`;
  const client = await mqtt.connectAsync(url, { clientId, clean: true, username, password });
  sim.start((topic, payload) => {
    client.publish(topic, payload, { qos: 1 });
  });
  return {
    devices: sim.devices,
    inventory: sim.inventory,
    stop: () => {
      sim.stop();
      void client.endAsync();
    },
  };
}
