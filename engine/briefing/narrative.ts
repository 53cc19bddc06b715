// The briefing's few sentences, written from the period's facts in Vietnamese or English.
import { category } from '../aqi/index.ts';
import type { BriefingFacts, Kpi } from './compute.ts';
import { FEEDBACK_CATEGORY_LABELS } from '../../dashboards/shared/wire/index.ts';

export type Lang = 'vi' | 'en';

const INCIDENT_WORDS: Record<string, { vi: string; en: string }> = {
  accident: { vi: 'tai nạn', en: 'accidents' },
  congestion: { vi: 'ùn tắc', en: 'congestion' },
  flooding: { vi: 'ngập', en: 'flooding' },
  fire: { vi: 'cháy', en: 'fire' },
  crowd: { vi: 'đám đông', en: 'crowds' },
  wrong_way: { vi: 'đi ngược chiều', en: 'wrong-way driving' },
  stopped_vehicle: { vi: 'xe dừng đỗ', en: 'stopped vehicles' },
};

/** Units the catalogue writes in Vietnamese, in English words. */
const UNIT_EN: Record<string, string> = {
  'xe/phút': 'vehicles/min',
  'xe/giờ': 'vehicles/h',
  'hồ sơ': 'dossiers',
  'sự cố': 'incidents',
  'cảm biến': 'sensors',
};

function fmt(lang: Lang, v: number, digits?: number): string {
  const d = digits ?? (Math.abs(v) >= 100 ? 0 : 1);
  return new Intl.NumberFormat(lang === 'vi' ? 'vi-VN' : 'en-GB', { maximumFractionDigits: d }).format(v);
}

function unit(lang: Lang, u: string): string {
  const word = lang === 'en' ? (UNIT_EN[u] ?? u) : u;
  return word === '%' ? '%' : ` ${word}`;
}

function when(lang: Lang, isoTime: string, span: 'day' | 'week'): string {
  const f = new Intl.DateTimeFormat(lang === 'vi' ? 'vi-VN' : 'en-GB', {
    timeZone: 'Asia/Ho_Chi_Minh',
    hour: '2-digit',
    minute: '2-digit',
    hourCycle: 'h23',
    ...(span === 'week' ? { day: '2-digit', month: '2-digit' } : {}),
  });
  return f.format(Date.parse(isoTime));
}

function dateText(lang: Lang, date: string): string {
  const [y, m, d] = date.split('-');
  return lang === 'vi' ? `${d}/${m}/${y}` : `${d}/${m}/${y}`;
}

const nameOf = (lang: Lang, a: { name: string; nameEn: string | null }): string =>
  lang === 'en' && a.nameEn ? a.nameEn : a.name;

function list(lang: Lang, parts: string[]): string {
  if (parts.length <= 1) return parts.join('');
  const and = lang === 'vi' ? ' và ' : ' and ';
  return `${parts.slice(0, -1).join(', ')}${and}${parts[parts.length - 1]}`;
}

export function narrative(facts: BriefingFacts, lang: Lang): string[] {
  const vi = lang === 'vi';
  const p = facts.period;
  const periodWord =
    p.span === 'day'
      ? vi
        ? `ngày ${dateText(lang, p.date)}`
        : `on ${dateText(lang, p.date)}`
      : vi
        ? `tuần từ ${dateText(lang, p.date)}`
        : `in the week from ${dateText(lang, p.date)}`;
  if (!facts.hasData) {
    return [
      vi
        ? `Không có dữ liệu ${periodWord}: hệ thống chưa nhận được sự kiện nào trong khoảng thời gian này.`
        : `No data ${periodWord}: the engine received no events for this period.`,
    ];
  }
  const out: string[] = [];
  const kpi = (name: string): Kpi | undefined => facts.kpis.find((k) => k.name === name && k.value !== null);

  // Targets first: what a leader must act on.
  const rated = facts.kpis.filter((k) => k.status !== null);
  if (rated.length > 0) {
    const count = (s: string): Kpi[] => rated.filter((k) => k.status === s);
    const missed = count('missed').map((k) => k.title[lang]);
    const risk = count('at_risk').map((k) => k.title[lang]);
    out.push(
      vi
        ? `${periodWord[0]!.toUpperCase()}${periodWord.slice(1)}: đạt ${count('met').length}/${rated.length} chỉ tiêu` +
            (risk.length ? `; có nguy cơ: ${list(lang, risk)}` : '') +
            (missed.length ? `; không đạt: ${list(lang, missed)}` : '') +
            '.'
        : `${periodWord[0]!.toUpperCase()}${periodWord.slice(1)}: ${count('met').length} of ${rated.length} targets met` +
            (risk.length ? `; at risk: ${list(lang, risk)}` : '') +
            (missed.length ? `; missed: ${list(lang, missed)}` : '') +
            '.',
    );
  }

  // Air: hours at VN_AQI 'Kém' or worse, by area, and the worst hour.
  if (facts.air.indicator) {
    const bad = facts.air.hours.filter((h) => h.hours > 0);
    const peak = [...facts.air.hours].sort((a, b) => b.peak - a.peak)[0];
    if (bad.length > 0) {
      const where = bad
        .slice(0, 3)
        .map((h) =>
          vi
            ? `${h.hours} giờ tại ${nameOf(lang, h)}`
            : `${h.hours} ${h.hours === 1 ? 'hour' : 'hours'} in ${nameOf(lang, h)}`,
        );
      const c = category(peak!.peak)!;
      out.push(
        vi
          ? `Chất lượng không khí: VN_AQI ở mức 'Kém' trở lên (≥ ${facts.air.threshold}) trong ${list(lang, where)}; cao nhất ${fmt(lang, peak!.peak, 0)} ('${c.vi}') lúc ${when(lang, peak!.peakAt, p.span)} tại ${nameOf(lang, peak!)}.`
          : `Air quality: the VN_AQI was 'Kém' (poor) or worse (≥ ${facts.air.threshold}) for ${list(lang, where)}; it peaked at ${fmt(lang, peak!.peak, 0)} ('${c.vi}', ${c.en.toLowerCase()}) at ${when(lang, peak!.peakAt, p.span)} in ${nameOf(lang, peak!)}.`,
      );
    } else if (peak) {
      const c = category(peak.peak)!;
      out.push(
        vi
          ? `Chất lượng không khí: không giờ nào ở mức 'Kém' của VN_AQI; cao nhất ${fmt(lang, peak.peak, 0)} ('${c.vi}') tại ${nameOf(lang, peak)}.`
          : `Air quality: no hour reached the VN_AQI 'Kém' (poor) band; the highest was ${fmt(lang, peak.peak, 0)} ('${c.vi}', ${c.en.toLowerCase()}) in ${nameOf(lang, peak)}.`,
      );
    }
  } else {
    const pm = kpi('pm25');
    if (pm)
      out.push(
        vi
          ? `Bụi mịn PM2.5 trung bình ${fmt(lang, pm.value!)} µg/m³.`
          : `PM2.5 averaged ${fmt(lang, pm.value!)} µg/m³.`,
      );
  }

  // Traffic: the city's speed and the most congested area.
  const speed = kpi('avg_speed');
  const traffic = facts.themes.find((t) => t.theme === 'traffic');
  const worstTraffic = traffic?.worst[0];
  if (speed || worstTraffic) {
    const parts: string[] = [];
    if (speed)
      parts.push(
        vi
          ? `tốc độ trung bình toàn thành phố ${fmt(lang, speed.value!)} km/h`
          : `the city's average speed was ${fmt(lang, speed.value!)} km/h`,
      );
    if (worstTraffic && traffic) {
      parts.push(
        vi
          ? `${traffic.title.vi.toLowerCase()} kém nhất tại ${nameOf(lang, worstTraffic)} (${fmt(lang, worstTraffic.value)}${unit(lang, traffic.unit)})`
          : `the worst ${traffic.title.en.toLowerCase()} was in ${nameOf(lang, worstTraffic)} (${fmt(lang, worstTraffic.value)}${unit(lang, traffic.unit)})`,
      );
    }
    out.push(vi ? `Giao thông: ${parts.join('; ')}.` : `Traffic: ${parts.join('; ')}.`);
  }

  // Incidents seen by the cameras.
  const inc = facts.incidents;
  if (inc.total === 0) {
    out.push(vi ? 'Camera không phát hiện sự cố nào.' : 'The cameras detected no incidents.');
  } else {
    const top = inc.byType[0]!;
    const area = inc.byArea[0];
    const word = INCIDENT_WORDS[top.type] ?? { vi: top.type, en: top.type };
    out.push(
      vi
        ? `Camera phát hiện ${fmt(lang, inc.total, 0)} sự cố, nhiều nhất là ${word.vi} (${top.count})${area ? `; nhiều sự cố nhất tại ${nameOf(lang, area)} (${area.count})` : ''}.`
        : `The cameras detected ${fmt(lang, inc.total, 0)} ${inc.total === 1 ? 'incident' : 'incidents'}, mostly ${word.en} (${top.count})${area ? `; most were in ${nameOf(lang, area)} (${area.count})` : ''}.`,
    );
  }

  // Alerts the operators were given.
  const raised = facts.raised;
  if (raised.total > 0) {
    const critical = raised.bySeverity.find((b) => b.severity === 'critical')?.count ?? 0;
    out.push(
      vi
        ? `Hệ thống phát ${raised.total} cảnh báo${critical ? ` (${critical} khẩn cấp)` : ''}; ${raised.acknowledged} đã được xác nhận.`
        : `The engine raised ${raised.total} ${raised.total === 1 ? 'alert' : 'alerts'}${critical ? ` (${critical} critical)` : ''}; ${raised.acknowledged} ${raised.acknowledged === 1 ? 'was' : 'were'} acknowledged.`,
    );
  }

  // Water: the highest level and any area over its alert level.
  const water = kpi('water_level_max');
  if (water) {
    const over = facts.alerts.filter((a) => a.indicator === 'water_level_max' && a.area !== 'hanoi');
    const alertLevel = water.thresholds.alert;
    out.push(
      vi
        ? `Mực nước cao nhất ${fmt(lang, water.value!)} cm` +
            (over.length && alertLevel !== null
              ? `, vượt mức báo động ${fmt(lang, alertLevel)} cm tại ${list(
                  lang,
                  over.slice(0, 3).map((a) => nameOf(lang, a)),
                )}.`
              : '.')
        : `The highest water level was ${fmt(lang, water.value!)} cm` +
            (over.length && alertLevel !== null
              ? `, over the ${fmt(lang, alertLevel)} cm alert level in ${list(
                  lang,
                  over.slice(0, 3).map((a) => nameOf(lang, a)),
                )}.`
              : '.'),
    );
  }

  // Public services and the network, against their targets.
  for (const name of ['service_on_time_rate', 'service_online_rate', 'network_below_40']) {
    const k = kpi(name);
    if (!k) continue;
    const status =
      k.status === null
        ? ''
        : vi
          ? { met: ': đạt', at_risk: ': có nguy cơ không đạt', missed: ': không đạt' }[k.status]
          : { met: ': met', at_risk: ': at risk', missed: ': missed' }[k.status];
    const target =
      k.target === null
        ? ''
        : vi
          ? ` (mục tiêu ${fmt(lang, k.target)}${unit(lang, k.unit)})`
          : ` (target ${fmt(lang, k.target)}${unit(lang, k.unit)})`;
    out.push(`${k.title[lang]}: ${fmt(lang, k.value!)}${unit(lang, k.unit)}${target}${status}.`);
  }

  out.push(...feedbackSentences(facts.feedback, lang));

  // Data quality by agency: who feeds the IOC best and worst, and what is not registered.
  const dq = facts.dataQuality;
  if (dq.agencies.length > 0) {
    const label = (a: (typeof dq.agencies)[number]) =>
      `${a.name ?? a.agency} (${fmt(lang, a.score * 100, 0)}${a.silentDays ? (vi ? `, ${a.silentDays} thiết bị-ngày im lặng` : `, ${a.silentDays} silent device-day${a.silentDays === 1 ? '' : 's'}`) : ''})`;
    const best = dq.agencies[0]!;
    const worst = dq.agencies[dq.agencies.length - 1]!;
    const score = (a: typeof best) => Math.round(a.score * 100);
    // Ties are said as ties: naming a "best" and a "worst" of equal scores would point at no one.
    out.push(
      dq.agencies.length > 1 && score(best) === score(worst)
        ? vi
          ? `Chất lượng dữ liệu (đúng, đủ, sạch, sống): cả ${dq.agencies.length} đơn vị đạt ${score(best)}/100.`
          : `Data quality (accurate, sufficient, clean, live): all ${dq.agencies.length} agencies scored ${score(best)} out of 100.`
        : vi
          ? `Chất lượng dữ liệu (đúng, đủ, sạch, sống) theo đơn vị, thang 100: cao nhất ${label(best)}${dq.agencies.length > 1 ? `, thấp nhất ${label(worst)}` : ''}.`
          : `Data quality (accurate, sufficient, clean, live) by agency, out of 100: best ${label(best)}${dq.agencies.length > 1 ? `, worst ${label(worst)}` : ''}.`,
    );
  }
  if (dq.unregistered > 0)
    out.push(
      vi
        ? `${fmt(lang, dq.unregistered, 0)} camera và cảm biến gửi dữ liệu nhưng chưa có trong danh mục thiết bị.`
        : `${fmt(lang, dq.unregistered, 0)} ${dq.unregistered === 1 ? 'camera or sensor' : 'cameras and sensors'} sent data without being in the device registry.`,
    );
  return out;
}

/** What citizens reported and how the wards answered: one sentence on the reports, one on what is still open. */
function feedbackSentences(f: BriefingFacts['feedback'], lang: Lang): string[] {
  if (!f) return [];
  const vi = lang === 'vi';
  const out: string[] = [];
  const about = f.categories
    .slice(0, 2)
    .map(
      (c) =>
        `${(FEEDBACK_CATEGORY_LABELS[c.category] ?? { vi: c.category, en: c.category })[lang]} (${fmt(lang, c.received, 0)})`,
    );
  const answered: string[] = [];
  if (f.resolvedOnTime !== null)
    answered.push(
      vi ? `giải quyết đúng hạn ${fmt(lang, f.resolvedOnTime)}%` : `${fmt(lang, f.resolvedOnTime)}% resolved on time`,
    );
  if (f.reopenRate !== null)
    answered.push(
      vi
        ? `${fmt(lang, f.reopenRate)} lần mở lại trên 100 lần giải quyết`
        : `${fmt(lang, f.reopenRate)} reopenings per 100 resolutions`,
    );
  if (f.rating !== null)
    answered.push(vi ? `mức hài lòng ${fmt(lang, f.rating)}/5` : `a mean rating of ${fmt(lang, f.rating)} out of 5`);
  out.push(
    vi
      ? `Phản ánh của người dân: tiếp nhận ${fmt(lang, f.received, 0)} phản ánh${about.length ? `, nhiều nhất về ${list(lang, about)}` : ''}${answered.length ? `; ${answered.join(', ')}` : ''}.`
      : `Citizens' feedback: ${fmt(lang, f.received, 0)} ${f.received === 1 ? 'report' : 'reports'} received${about.length ? `, mostly about ${list(lang, about)}` : ''}${answered.length ? `; ${answered.join(', ')}` : ''}.`,
  );
  if (f.backlog) {
    const most = f.backlogAreas[0];
    out.push(
      vi
        ? `Cuối kỳ còn ${fmt(lang, f.backlog, 0)} phản ánh chưa xử lý xong${most ? `, nhiều nhất tại ${nameOf(lang, most)} (${fmt(lang, most.count, 0)})` : ''}.`
        : `${fmt(lang, f.backlog, 0)} ${f.backlog === 1 ? 'report was' : 'reports were'} still open at the end of the period${most ? `, most in ${nameOf(lang, most)} (${fmt(lang, most.count, 0)})` : ''}.`,
    );
  }
  return out;
}
