// Who owns the simulated devices, as the registry would say: one agency per kind of device, a model, an install date,
// and a few devices under maintenance or never registered (as in any city's inventory), all fixed by the device id.
import type { SensorKind, SimDevice } from './types.ts';

export interface SimOwner {
  agency: string;
  agencyName: string;
  model: string | null;
  /** YYYY-MM-DD */
  installedOn: string | null;
  maintenance: 'in_service' | 'maintenance' | 'faulty';
}

const OWNERS: Record<'camera' | SensorKind, { agency: string; agencyName: string; model: string }> = {
  camera: { agency: 'cong-an-thanh-pho', agencyName: 'Công an Thành phố Hà Nội', model: 'Camera giao thông AI 4MP' },
  air: {
    agency: 'so-nong-nghiep-moi-truong',
    agencyName: 'Sở Nông nghiệp và Môi trường',
    model: 'Trạm quan trắc không khí tự động',
  },
  noise: {
    agency: 'so-nong-nghiep-moi-truong',
    agencyName: 'Sở Nông nghiệp và Môi trường',
    model: 'Máy đo tiếng ồn loại 1',
  },
  water: {
    agency: 'thoat-nuoc-ha-noi',
    agencyName: 'Công ty Thoát nước Hà Nội',
    model: 'Cảm biến mực nước siêu âm',
  },
  weather: {
    agency: 'dai-khi-tuong-thuy-van',
    agencyName: 'Đài Khí tượng Thủy văn Hà Nội',
    model: 'Trạm khí tượng tự động',
  },
  network: {
    agency: 'so-khoa-hoc-cong-nghe',
    agencyName: 'Sở Khoa học và Công nghệ',
    model: 'Đầu đo tốc độ mạng di động',
  },
};

/** FNV-1a of the id: the same device gets the same entry on every run and seed. */
function hash(id: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < id.length; i++) h = Math.imul(h ^ id.charCodeAt(i), 0x01000193);
  return h >>> 0;
}

/** The registry entry of a simulated camera or sensor; null for the one in 25 nobody registered. */
export function ownerOf(id: string, kind: 'camera' | SensorKind): SimOwner | null {
  const h = hash(id);
  if (h % 25 === 0) return null;
  const o = OWNERS[kind];
  // Installed over the five years before 2026, a day fixed by the id.
  const installed = new Date(Date.UTC(2021, 0, 1) + (h % 1826) * 86_400_000).toISOString().slice(0, 10);
  const state = h % 40;
  return {
    ...o,
    installedOn: installed,
    maintenance: state === 1 ? 'maintenance' : state === 2 ? 'faulty' : 'in_service',
  };
}

/** One site in this many has a second unit in the inventory, listed in service, that never came online. */
const DEAD_EVERY = 40;

/**
 * The inventory a registry would hold: every device, plus the dead units (`<id>-b`) that are registered in service
 * but never report. Those are what a registry lets the data-quality score see.
 */
export function inventoryOf(devices: readonly SimDevice[]): SimDevice[] {
  const dead: SimDevice[] = [];
  devices.forEach((d, i) => {
    if (d.family === 'service' || i % DEAD_EVERY !== DEAD_EVERY - 1) return;
    const id = `${d.id}-b`;
    const o = OWNERS[d.family === 'camera' ? 'camera' : d.kind];
    const installedOn = new Date(Date.UTC(2021, 0, 1) + (hash(id) % 1826) * 86_400_000).toISOString().slice(0, 10);
    dead.push({ ...d, id, topic: `city/${d.family}/${id}`, owner: { ...o, installedOn, maintenance: 'in_service' } });
  });
  return [...devices, ...dead];
}
