// Which areas the briefing ranks and names: the wards, each written with its former district as readers still place it.
import type { Connection } from '../db.ts';

/** Rankings are of the units events land in: not the city, its former districts, or events placed nowhere. */
export const RANKED_AREAS = `(SELECT code FROM areas WHERE coalesce(level, 'ward') = 'ward')`;

export type NameOf = (code: string) => { name: string; nameEn: string | null };

/** Each area's name as the briefing writes it: a ward with its former district in brackets. */
export async function areaNames(conn: Connection): Promise<Map<string, { name: string; nameEn: string | null }>> {
  const rows = await conn.objects<{ code: string; name: string; name_en: string | null }>(
    `SELECT a.code, a.name || coalesce(' (' || d.name || ')', '') AS name,
            a.name_en || coalesce(' (' || d.name_en || ')', '') AS name_en
     FROM areas a LEFT JOIN areas d ON d.code = a.parent`,
  );
  return new Map(rows.map((r) => [r.code, { name: r.name, nameEn: r.name_en }]));
}
