// Where alert changes are also sent: an MQTT topic, a NATS subject, a webhook.
import { z } from 'zod';
import { url } from '../config-fields.ts';

export const AlertSettings = z.object({
  alertMqttTopic: z
    .string()
    .regex(/^[^#+]+$/, 'must be a topic prefix without wildcards')
    .optional()
    .describe("also publish every alert change to `<topic>/<severity>/<area>` on the engine's broker"),
  alertNatsSubject: z
    .string()
    .regex(/^[^*>\s]+$/, 'must be a subject prefix without wildcards')
    .optional()
    .describe('… to `<subject>.<severity>.<area>` on `NATS_URL`'),
  alertWebhookUrl: url(['http:', 'https:']).optional().describe('… and POST it as JSON to this URL'),
});
