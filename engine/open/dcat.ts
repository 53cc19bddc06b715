// The catalogue as DCAT-AP JSON-LD, the document CKAN and data.gov.vn-style harvesters read: one dcat:Catalog whose
// datasets carry bilingual words, licence, EU frequency, keywords, publisher and a distribution per format.
import { FORMAT_INFO, FORMATS, downloadUrl, suppressionNote } from './formats.ts';
import type { DatasetListing } from './open-data.ts';
import { frequencyUri, licenceUri } from './publication.ts';

export const DCAT_CONTEXT = {
  dcat: 'http://www.w3.org/ns/dcat#',
  dct: 'http://purl.org/dc/terms/',
  foaf: 'http://xmlns.com/foaf/0.1/',
  vcard: 'http://www.w3.org/2006/vcard/ns#',
  xsd: 'http://www.w3.org/2001/XMLSchema#',
} as const;

/** Who publishes: the city's operations centre, in both languages. */
export const PUBLISHER = {
  vi: 'Trung tâm Điều hành thông minh thành phố Hà Nội',
  en: 'Hanoi Intelligent Operations Center',
} as const;

const EU_FILE_TYPE = 'http://publications.europa.eu/resource/authority/file-type/';
const IANA = 'https://www.iana.org/assignments/media-types/';

const text = (words: { vi: string; en: string }) => [
  { '@value': words.vi, '@language': 'vi' },
  { '@value': words.en, '@language': 'en' },
];
const dateTime = (iso: string) => ({ '@value': iso, '@type': 'xsd:dateTime' });

function publisher(base: string) {
  return {
    '@id': `${base}/open/#publisher`,
    '@type': 'foaf:Agent',
    'foaf:name': text(PUBLISHER),
    'foaf:homepage': { '@id': `${base}/open/` },
  };
}

function dataset(d: DatasetListing, base: string, minCount: number) {
  const note = suppressionNote(minCount);
  const licence = { '@id': licenceUri(d.licence) };
  return {
    '@id': `${base}/open/#${d.name}`,
    '@type': 'dcat:Dataset',
    'dct:identifier': d.name,
    'dct:title': text(d.title),
    'dct:description': text({ vi: `${d.description.vi} ${note.vi}`, en: `${d.description.en} ${note.en}` }),
    'dcat:keyword': d.keywords,
    'dct:license': licence,
    'dct:accrualPeriodicity': { '@id': frequencyUri(d.frequency) },
    'dct:issued': dateTime(d.createdAt),
    'dct:modified': dateTime(d.updatedAt),
    'dct:publisher': { '@id': `${base}/open/#publisher` },
    'dcat:contactPoint': {
      '@type': 'vcard:Organization',
      'vcard:fn': PUBLISHER.vi,
      'vcard:hasURL': { '@id': `${base}/open/` },
    },
    'dcat:landingPage': { '@id': `${base}/open/#${d.name}` },
    'dcat:distribution': FORMATS.map((f) => {
      const url = downloadUrl(base, d.name, f);
      return {
        '@id': url,
        '@type': 'dcat:Distribution',
        'dct:title': text({
          vi: `${d.title.vi} (${FORMAT_INFO[f].label})`,
          en: `${d.title.en} (${FORMAT_INFO[f].label})`,
        }),
        'dcat:accessURL': { '@id': url },
        'dcat:downloadURL': { '@id': url },
        'dcat:mediaType': { '@id': `${IANA}${FORMAT_INFO[f].media}` },
        'dct:format': { '@id': `${EU_FILE_TYPE}${FORMAT_INFO[f].euFileType}` },
        'dct:license': licence,
      };
    }),
  };
}

/** The whole catalogue; `base`: the portal's absolute origin, without a trailing slash. */
export function dcatCatalog(datasets: readonly DatasetListing[], base: string, minCount: number) {
  const modified = datasets.reduce((m, d) => (d.updatedAt > m ? d.updatedAt : m), '1970-01-01T00:00:00Z');
  return {
    '@context': DCAT_CONTEXT,
    '@id': `${base}/open/api/datasets`,
    '@type': 'dcat:Catalog',
    'dct:title': text({ vi: 'Cổng dữ liệu mở thành phố Hà Nội', en: 'Hanoi city open-data portal' }),
    'dct:description': text({
      vi: 'Các chỉ số tổng hợp theo khu vực và khung thời gian do Trung tâm Điều hành thông minh công bố.',
      en: 'Indicators aggregated over areas and time windows, published by the Intelligent Operations Center.',
    }),
    'dct:language': { '@id': 'http://publications.europa.eu/resource/authority/language/VIE' },
    'dct:modified': dateTime(modified),
    'dct:publisher': publisher(base),
    'foaf:homepage': { '@id': `${base}/open/` },
    'dcat:dataset': datasets.map((d) => dataset(d, base, minCount)),
  };
}
