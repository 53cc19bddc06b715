// The portal's series on /metrics: downloads served per dataset.
import { Counter, type Registry } from 'prom-client';

export function openMetrics(registry: Registry, downloads: () => ReadonlyMap<string, number>): void {
  new Counter({
    name: 'ioc_open_downloads_total',
    help: 'Open-data downloads this engine served, by dataset (counted when the data starts to leave; 304s are not)',
    labelNames: ['dataset'],
    registers: [registry],
    collect() {
      this.reset();
      for (const [dataset, n] of downloads()) this.inc({ dataset }, n);
    },
  });
}
