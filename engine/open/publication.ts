// What an admin publishes: one indicator view or one saved query, with the words, licence, frequency and keywords a
// portal and its harvesters show. The schema is the truth for the PUT body and for the command that carries it.
import { z } from 'zod';
import { FAMILY_DEFS, isFamily, type FamilyDef } from '../schema/index.ts';
import { PlainText } from '../schema/common.ts';

/** A dataset's name in its download addresses: no dots, slashes or upper case, so `name.csv` cannot be misread. */
export const DatasetName = z
  .string()
  .regex(/^[a-z][a-z0-9_-]{1,63}$/, 'must be 2–64 lower-case letters, digits, _ or -, starting with a letter');

/** Licences open-data portals recognise by their SPDX id, with the address a harvester follows. */
export const LICENCES: Readonly<Record<string, string>> = {
  'CC-BY-4.0': 'https://creativecommons.org/licenses/by/4.0/',
  'CC-BY-SA-4.0': 'https://creativecommons.org/licenses/by-sa/4.0/',
  'CC0-1.0': 'https://creativecommons.org/publicdomain/zero/1.0/',
  'ODC-By-1.0': 'https://opendatacommons.org/licenses/by/1-0/',
  'ODbL-1.0': 'https://opendatacommons.org/licenses/odbl/1-0/',
  'PDDL-1.0': 'https://opendatacommons.org/licenses/pddl/1-0/',
  'OGL-UK-3.0': 'https://www.nationalarchives.gov.uk/doc/open-government-licence/version/3/',
};

const FREQUENCY_BASE = 'http://publications.europa.eu/resource/authority/frequency/';
/** How often a dataset changes, as the EU's frequency vocabulary (DCAT-AP's dct:accrualPeriodicity) names it. */
export const FREQUENCIES = {
  continuous: 'UPDATE_CONT',
  hourly: 'HOURLY',
  daily: 'DAILY',
  weekly: 'WEEKLY',
  monthly: 'MONTHLY',
  quarterly: 'QUARTERLY',
  annual: 'ANNUAL',
  irregular: 'IRREG',
} as const;
export type Frequency = keyof typeof FREQUENCIES;

export const frequencyUri = (f: Frequency): string => `${FREQUENCY_BASE}${FREQUENCIES[f]}`;

/** An SPDX id of the list, or the address of another licence. */
const Licence = z.string().refine(
  (s) => {
    if (s in LICENCES) return true;
    try {
      const u = new URL(s);
      return (u.protocol === 'https:' || u.protocol === 'http:') && s.length <= 500;
    } catch {
      return false;
    }
  },
  { message: `must be one of ${Object.keys(LICENCES).join(', ')}, or the https:// address of a licence` },
);

export const licenceUri = (licence: string): string => LICENCES[licence] ?? licence;

const Words = (max: number) => z.strictObject({ vi: PlainText.min(1).max(max), en: PlainText.min(1).max(max) });

/** The body of PUT /api/open/:name. */
export const PublishBody = z
  .strictObject({
    view: z.string().min(1).max(64).optional(),
    query: z.string().min(1).max(64).optional(),
    title: Words(200),
    description: Words(2000),
    licence: Licence,
    frequency: z.enum(Object.keys(FREQUENCIES) as [Frequency, ...Frequency[]]),
    keywords: z.array(PlainText.min(1).max(50)).max(20).default([]),
  })
  .refine((b) => (b.view === undefined) !== (b.query === undefined), {
    message: 'give exactly one of "view" (an indicator of GET /api/indicators) or "query" (a saved query\'s name)',
    path: ['view'],
  });
export type PublishBody = z.infer<typeof PublishBody>;

/**
 * What is served: a view's rollup rows, or a saved query's SQL and parameters as they were when published (a later
 * edit of the saved query is not published until an admin publishes it again).
 */
export const DatasetSource = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('view'), view: z.string().min(1).max(64) }),
  z.object({
    kind: z.literal('query'),
    query: z.string().min(1).max(64),
    sql: z.string().min(1).max(100_000),
    params: z
      .array(
        z.object({
          name: z.string(),
          type: z.string(),
          default: z.union([z.string(), z.number(), z.boolean(), z.null()]),
        }),
      )
      .max(20),
    /** The indicator views it reads: it is withdrawn from the catalogue while one of them is gone. */
    reads: z.array(z.string()).max(100),
  }),
]);
export type DatasetSource = z.infer<typeof DatasetSource>;

/** A publication as the command stream carries it and the store keeps it. */
export const Publication = z.object({
  name: DatasetName,
  source: DatasetSource,
  title: Words(200),
  description: Words(2000),
  licence: Licence,
  frequency: z.enum(Object.keys(FREQUENCIES) as [Frequency, ...Frequency[]]),
  keywords: z.array(PlainText.min(1).max(50)).max(20),
});
export type Publication = z.infer<typeof Publication>;

/** Whether a family's aggregates may be open data, as its definition says (security incidents never are). */
export function isPublishableFamily(family: string): boolean {
  return isFamily(family) && (FAMILY_DEFS[family] as FamilyDef<unknown>).publishable;
}
