// The open-data portal's door: what may be published, how it is kept, read, described (DCAT-AP) and shown.
export { DatasetName, PublishBody, isPublishableFamily } from './publication.ts';
export { OPEN_READER, OpenData } from './open-data.ts';
export { OPEN_CHANGES_TABLE, OPEN_TABLE, OpenStore } from './store.ts';
export { type ReadPlan } from './read-sql.ts';
export { dcatCatalog } from './dcat.ts';
export { cataloguePage } from './page.ts';
export { FORMAT_INFO, FORMATS, suppressionNote, type OpenFormat } from './formats.ts';
export { openMetrics } from './metrics.ts';
