// The areas' setting: which GeoJSON events are placed in.
import { z } from 'zod';

export const GeoSettings = z.object({
  areasFile: z
    .string()
    .min(1)
    .optional()
    .meta({ description: 'GeoJSON of the areas events are assigned to', shownDefault: 'shipped Hanoi wards' }),
});
