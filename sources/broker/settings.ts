// The embedded broker's settings: where it listens, and where devices may publish on it.
import { z } from 'zod';
import { int, list } from '../../engine/config-fields.ts';

export const BrokerSettings = z.object({
  mqttPort: int(0, 65535).default(1883).describe('where the embedded broker listens (without `MQTT_URL`)'),
  mqttHost: z.string().min(1).default('127.0.0.1').describe('the address the embedded broker binds to'),
  mqttPublishTopics: list.optional().meta({
    description: 'topic filters devices may publish to on the embedded broker, comma-separated, e.g. `city/#`',
    shownDefault: 'unset (any)',
  }),
});
