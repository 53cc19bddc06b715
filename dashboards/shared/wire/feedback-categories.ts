// The categories of citizens' reports in both languages, as the briefing's page and its narrative name them.
export const FEEDBACK_CATEGORY_LABELS: Readonly<Record<string, { vi: string; en: string }>> = {
  traffic: { vi: 'giao thông', en: 'traffic' },
  environment: { vi: 'môi trường', en: 'environment' },
  flooding: { vi: 'ngập úng', en: 'flooding' },
  lighting: { vi: 'chiếu sáng', en: 'street lighting' },
  waste: { vi: 'rác thải', en: 'waste' },
  construction: { vi: 'xây dựng', en: 'construction' },
  order: { vi: 'trật tự đô thị', en: 'public order' },
  administrative: { vi: 'thủ tục hành chính', en: 'administrative procedures' },
  other: { vi: 'khác', en: 'other' },
};
