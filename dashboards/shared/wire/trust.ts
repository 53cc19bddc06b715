// GET /api/trust: how far the wall's data can be trusted today, on the city's four tests ("đúng, đủ, sạch, sống":
// accurate, sufficient, clean, live), per family and for the agencies whose sources score worst.
import { z } from 'zod';
import { isoTime } from './fields.ts';

const share = z.number().min(0).max(1).nullable();

export const trustFamilySchema = z.object({
  family: z.string(),
  /** Sources that sent within the last SILENT_AFTER minutes. */
  reporting: z.number().int().min(0),
  /** Sources seen in the last day, or registered in service, that sent nothing since. */
  silent: z.number().int().min(0),
  /** Sources whose events today arrived a minute or more after they happened (median). */
  late: z.number().int().min(0),
  received: z.number().int().min(0),
  rejected: z.number().int().min(0),
  duplicates: z.number().int().min(0),
  accuracy: share,
  completeness: share,
  cleanliness: share,
  liveness: share,
  score: share,
});
export type TrustFamily = z.infer<typeof trustFamilySchema>;

export const trustAgencySchema = z.object({
  agency: z.string(),
  name: z.string().nullable(),
  devices: z.number().int().min(0),
  silent: z.number().int().min(0),
  score: share,
});
export type TrustAgency = z.infer<typeof trustAgencySchema>;

export const trustSchema = z.object({
  /** The Hanoi day the counts are of (YYYY-MM-DD), and when they were read. */
  day: z.string(),
  at: isoTime,
  silentAfterMinutes: z.number().int().positive(),
  families: z.array(trustFamilySchema),
  /** The agencies to chase first: lowest score today. */
  agencies: z.array(trustAgencySchema),
});
export type Trust = z.infer<typeof trustSchema>;
