// Field shapes every message shares: timestamps a browser can parse and labels in both languages.
import { z } from 'zod';

/** A timestamp the browser can parse; the engine may send `Z` or an explicit offset. */
export const isoTime = z.string().refine((s) => !Number.isNaN(Date.parse(s)), 'not a parseable timestamp');

/** One label in Vietnamese and English. */
export const bilingualSchema = z.object({ vi: z.string(), en: z.string() });
