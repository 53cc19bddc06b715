// The formats a dataset is downloaded in: extension, media type, and the names DCAT-AP harvesters know them by.

export const FORMATS = ['csv', 'json', 'parquet'] as const;
export type OpenFormat = (typeof FORMATS)[number];

export const FORMAT_INFO: Record<OpenFormat, { media: string; euFileType: string; label: string }> = {
  csv: { media: 'text/csv', euFileType: 'CSV', label: 'CSV' },
  json: { media: 'application/json', euFileType: 'JSON', label: 'JSON' },
  parquet: { media: 'application/vnd.apache.parquet', euFileType: 'PARQUET', label: 'Parquet' },
};

/** A dataset's download address, under the portal's base. */
export const downloadUrl = (base: string, name: string, format: OpenFormat): string =>
  `${base}/open/api/datasets/${encodeURIComponent(name)}.${format}`;

/** What every published dataset says about small cells, in both languages. */
export function suppressionNote(minCount: number): { vi: string; en: string } {
  return {
    vi: `Các ô có ít hơn ${minCount} sự kiện được ẩn giá trị và số lượng (null, suppressed = true) để bảo vệ quyền riêng tư.`,
    en: `Cells counting fewer than ${minCount} events have their value and count withheld (null, suppressed = true) to protect privacy.`,
  };
}
