// Public-service agencies: dossiers moving received → processing → [supplement_requested → processing] → an end.
import { addWorkingDays, officeHours, rfc3339Hanoi } from './clock.ts';
import type { Emitter } from './emitter.ts';
import { pickWeighted, type Rng } from './prng.ts';
import type { SimArea } from './types.ts';

type Level = 'full' | 'partial' | 'none';
type OpenStatus = 'received' | 'processing' | 'supplement_requested';
type Status = OpenStatus | 'completed' | 'rejected' | 'withdrawn';
type Channel = 'online' | 'counter' | 'postal';

interface Procedure {
  name: string;
  level: Level;
  /** Legal deadline in working days from valid receipt. */
  dueDays: number;
}

export interface Agency {
  id: string;
  name: string;
  /** The area a People's Committee serves; city departments serve everyone. */
  area: number | null;
  procedures: readonly Procedure[];
}

const CITY_DEPARTMENTS: readonly Omit<Agency, 'area'>[] = [
  {
    id: 'so-tu-phap',
    name: 'Sở Tư pháp',
    procedures: [{ name: 'Cấp Phiếu lý lịch tư pháp', level: 'full', dueDays: 10 }],
  },
  {
    id: 'so-xay-dung',
    name: 'Sở Xây dựng',
    procedures: [
      { name: 'Cấp giấy phép xây dựng', level: 'partial', dueDays: 20 },
      { name: 'Cấp đổi giấy phép lái xe', level: 'full', dueDays: 5 },
    ],
  },
  {
    id: 'so-tai-chinh',
    name: 'Sở Tài chính',
    procedures: [{ name: 'Đăng ký thành lập doanh nghiệp', level: 'full', dueDays: 3 }],
  },
  {
    id: 'so-nong-nghiep-moi-truong',
    name: 'Sở Nông nghiệp và Môi trường',
    procedures: [{ name: 'Cấp Giấy chứng nhận quyền sử dụng đất', level: 'none', dueDays: 30 }],
  },
  {
    id: 'so-y-te',
    name: 'Sở Y tế',
    procedures: [{ name: 'Cấp chứng chỉ hành nghề khám bệnh, chữa bệnh', level: 'partial', dueDays: 20 }],
  },
  {
    id: 'so-noi-vu',
    name: 'Sở Nội vụ',
    procedures: [{ name: 'Giải quyết hưởng trợ cấp thất nghiệp', level: 'partial', dueDays: 20 }],
  },
  {
    id: 'so-giao-duc-dao-tao',
    name: 'Sở Giáo dục và Đào tạo',
    procedures: [{ name: 'Công nhận văn bằng do cơ sở giáo dục nước ngoài cấp', level: 'partial', dueDays: 20 }],
  },
  {
    id: 'so-cong-thuong',
    name: 'Sở Công Thương',
    procedures: [{ name: 'Cấp giấy phép bán lẻ rượu', level: 'full', dueDays: 10 }],
  },
];

const LOCAL_PROCEDURES: readonly Procedure[] = [
  { name: 'Đăng ký khai sinh', level: 'full', dueDays: 1 },
  { name: 'Đăng ký kết hôn', level: 'partial', dueDays: 5 },
  { name: 'Chứng thực bản sao từ bản chính', level: 'none', dueDays: 1 },
  { name: 'Cấp giấy phép xây dựng nhà ở riêng lẻ', level: 'partial', dueDays: 15 },
  { name: 'Đăng ký hộ kinh doanh', level: 'full', dueDays: 3 },
];

/** The city departments first, then one People's Committee per area, urban areas first. */
export function listAgencies(areas: readonly SimArea[], wanted?: number): Agency[] {
  const local = areas
    .map((a, i) => ({ a, i }))
    .sort((x, y) => Number(y.a.urban) - Number(x.a.urban))
    .map(({ a, i }): Agency => ({
      id: `ubnd-${a.code.replace(/_/g, '-')}`,
      name: `UBND ${a.name}`,
      area: i,
      procedures: LOCAL_PROCEDURES,
    }));
  const all = [...CITY_DEPARTMENTS.map((d): Agency => ({ ...d, area: null })), ...local];
  return all.slice(0, wanted ?? Math.min(40, all.length));
}

// Next status, by current status.
const TRANSITIONS: Record<OpenStatus, (r: Rng) => Status> = {
  received: chooser([
    ['processing', 0.95],
    ['rejected', 0.03],
    ['withdrawn', 0.02],
  ]),
  processing: chooser([
    ['completed', 0.78],
    ['supplement_requested', 0.12],
    ['rejected', 0.06],
    ['withdrawn', 0.04],
  ]),
  supplement_requested: chooser([
    ['processing', 0.85],
    ['withdrawn', 0.15],
  ]),
};

// Intake channels by service level: a full-online procedure is still often filed at the counter.
const CHANNELS: Record<Level, (r: Rng) => Channel> = {
  full: chooser([
    ['online', 0.7],
    ['counter', 0.25],
    ['postal', 0.05],
  ]),
  partial: chooser([
    ['online', 0.45],
    ['counter', 0.5],
    ['postal', 0.05],
  ]),
  none: chooser([
    ['counter', 0.9],
    ['postal', 0.1],
  ]),
};

// Open dossiers an agency keeps in play; past it, events only move old dossiers on.
const MAX_OPEN = 300;
// Share of new dossiers that were filed before the simulation began and are first seen mid-way, some overdue.
const CARRIED_OVER = 0.25;
/** Out of office hours, the share of an agency's turns that bring a citizen's online filing; the rest bring nothing. */
const AFTER_HOURS_FILINGS = 0.1;
const DAY_MS = 86_400_000;

interface Dossier {
  /** `"dossierId":…,"procedure":…,"agency":…` */
  head: string;
  /** `"channel":…,"level":…,"dueAt":…,"onlinePayment":…,"area":…` */
  tail: string;
  status: OpenStatus;
}

export function createAgency(agency: Agency, index: number, areas: readonly SimArea[], weight: number): Emitter {
  const areaWeights = areas.map((a) => (a.urban ? 3 : 1));
  const open: Dossier[] = [];
  let filed = 0;
  let seq = 0;

  const online = agency.procedures.filter((p) => p.level !== 'none');
  /** A new dossier; `afterHours`: filed online by a citizen while the office is closed. */
  const fileDossier = (t: number, tag: string, r: Rng, afterHours = false): Dossier => {
    filed++;
    const choices = afterHours ? online : agency.procedures;
    const procedure = choices[Math.floor(r() * choices.length)]!;
    const channel = afterHours ? 'online' : CHANNELS[procedure.level](r);
    const area = areas[agency.area ?? pickWeighted(r, areaWeights)]!;
    const carried = !afterHours && r() < CARRIED_OVER;
    const dueAt = carried ? t + (-6 + 10 * r()) * DAY_MS : addWorkingDays(t, procedure.dueDays);
    const dossierId = `HS-${tag}-${index}-${filed}`;
    return {
      head: `"dossierId":"${dossierId}","procedure":${JSON.stringify(procedure.name)},"agency":"${agency.id}"`,
      tail:
        `"channel":"${channel}","level":"${procedure.level}","dueAt":"${rfc3339Hanoi(Math.round(dueAt))}"` +
        `,"onlinePayment":${channel === 'online' && r() < 0.6},"area":"${area.code}"`,
      status: carried ? 'processing' : 'received',
    };
  };

  return {
    topic: `city/service/${agency.id}`,
    weight,
    next(t, tag, r) {
      // Nights and weekends nothing moves inside an agency: now and then a citizen files online.
      if (!officeHours(t)) {
        if (online.length === 0 || r() >= AFTER_HOURS_FILINGS) return null;
        seq++;
        const filing = fileDossier(t, tag, r, true);
        if (open.length < MAX_OPEN) open.push(filing);
        return (
          `{"id":"${agency.id}-${tag}-${seq}","ts":"${rfc3339Hanoi(t)}",${filing.head}` +
          `,"status":"${filing.status}",${filing.tail}}`
        );
      }
      seq++;
      let dossier: Dossier;
      let status: Status;
      if (open.length === 0 || (open.length < MAX_OPEN && r() < 0.4)) {
        dossier = fileDossier(t, tag, r);
        status = dossier.status;
        open.push(dossier);
      } else {
        const i = Math.floor(r() * open.length);
        dossier = open[i]!;
        status = TRANSITIONS[dossier.status](r);
        if (status === 'completed' || status === 'rejected' || status === 'withdrawn') {
          open[i] = open[open.length - 1]!;
          open.pop();
        } else {
          dossier.status = status;
        }
      }
      return (
        `{"id":"${agency.id}-${tag}-${seq}","ts":"${rfc3339Hanoi(t)}",${dossier.head}` +
        `,"status":"${status}",${dossier.tail}}`
      );
    },
  };
}

/** A draw among weighted choices, weights summed once. */
function chooser<T>(choices: readonly (readonly [T, number])[]): (r: Rng) => T {
  const weights = choices.map((c) => c[1]);
  return (r) => choices[pickWeighted(r, weights)]![0];
}
