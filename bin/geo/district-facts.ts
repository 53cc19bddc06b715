// Public facts about Hanoi's 30 pre-July-2025 districts: the inputs of the approximate district map.
// Sources: GSO district codes; centroids of surveyed district boundaries; areas from the Hanoi statistical
// yearbook 2018 or the district's founding decision; GSO census populations (2019, else 2009).

type DistrictKind = 'quan' | 'huyen' | 'thi_xa';

export interface DistrictFact {
  code: string;
  name: string;
  nameEn: string;
  kind: DistrictKind;
  gsoCode: string;
  lat: number;
  lon: number;
  /** official area; null where no official figure was found (the generated polygon's area is used then) */
  areaKm2: number | null;
  /** area of the surveyed polygon, used as the size target only where no official figure exists */
  referencePolygonKm2: number;
  population: number;
  populationYear: number;
}

export const HANOI_DISTRICTS: readonly DistrictFact[] = [
  { code: 'ba_dinh', name: 'Ba Đình', nameEn: 'Ba Dinh', kind: 'quan', gsoCode: '001', lat: 21.0396, lon: 105.8285, areaKm2: 9.21, referencePolygonKm2: 11.5, population: 221893, populationYear: 2019 },
  { code: 'hoan_kiem', name: 'Hoàn Kiếm', nameEn: 'Hoan Kiem', kind: 'quan', gsoCode: '002', lat: 21.0295, lon: 105.8523, areaKm2: 5.29, referencePolygonKm2: 5.9, population: 135618, populationYear: 2019 },
  { code: 'tay_ho', name: 'Tây Hồ', nameEn: 'Tay Ho', kind: 'quan', gsoCode: '003', lat: 21.0715, lon: 105.8175, areaKm2: 24.39, referencePolygonKm2: 27.8, population: 160495, populationYear: 2019 },
  { code: 'long_bien', name: 'Long Biên', nameEn: 'Long Bien', kind: 'quan', gsoCode: '004', lat: 21.0428, lon: 105.8949, areaKm2: 59.82, referencePolygonKm2: 57.1, population: 322549, populationYear: 2019 },
  { code: 'cau_giay', name: 'Cầu Giấy', nameEn: 'Cau Giay', kind: 'quan', gsoCode: '005', lat: 21.0282, lon: 105.788, areaKm2: 12.32, referencePolygonKm2: 16.0, population: 292536, populationYear: 2019 },
  { code: 'dong_da', name: 'Đống Đa', nameEn: 'Dong Da', kind: 'quan', gsoCode: '006', lat: 21.017, lon: 105.8222, areaKm2: 9.95, referencePolygonKm2: 9.2, population: 370117, populationYear: 2009 },
  { code: 'hai_ba_trung', name: 'Hai Bà Trưng', nameEn: 'Hai Ba Trung', kind: 'quan', gsoCode: '007', lat: 21.005, lon: 105.8554, areaKm2: 10.26, referencePolygonKm2: 12.9, population: 303586, populationYear: 2019 },
  { code: 'hoang_mai', name: 'Hoàng Mai', nameEn: 'Hoang Mai', kind: 'quan', gsoCode: '008', lat: 20.9751, lon: 105.8621, areaKm2: 40.32, referencePolygonKm2: 38.1, population: 506347, populationYear: 2019 },
  { code: 'thanh_xuan', name: 'Thanh Xuân', nameEn: 'Thanh Xuan', kind: 'quan', gsoCode: '009', lat: 20.9972, lon: 105.8086, areaKm2: 9.09, referencePolygonKm2: 8.4, population: 293524, populationYear: 2019 },
  // Created in 2013 from Từ Liêm: no census of its own before 2019, so the population at creation is used.
  { code: 'bac_tu_liem', name: 'Bắc Từ Liêm', nameEn: 'Bac Tu Liem', kind: 'quan', gsoCode: '021', lat: 21.072, lon: 105.7613, areaKm2: 43.35, referencePolygonKm2: 45.4, population: 320141, populationYear: 2013 },
  { code: 'nam_tu_liem', name: 'Nam Từ Liêm', nameEn: 'Nam Tu Liem', kind: 'quan', gsoCode: '019', lat: 21.0125, lon: 105.7615, areaKm2: 32.19, referencePolygonKm2: 32.1, population: 264246, populationYear: 2019 },
  { code: 'ha_dong', name: 'Hà Đông', nameEn: 'Ha Dong', kind: 'quan', gsoCode: '268', lat: 20.9612, lon: 105.7532, areaKm2: 49.64, referencePolygonKm2: 34.3, population: 397854, populationYear: 2019 },
  { code: 'son_tay', name: 'Sơn Tây', nameEn: 'Son Tay', kind: 'thi_xa', gsoCode: '269', lat: 21.1031, lon: 105.4752, areaKm2: 113.53, referencePolygonKm2: 123.1, population: 125749, populationYear: 2009 },
  { code: 'soc_son', name: 'Sóc Sơn', nameEn: 'Soc Son', kind: 'huyen', gsoCode: '016', lat: 21.2737, lon: 105.8286, areaKm2: 306.51, referencePolygonKm2: 304.9, population: 282536, populationYear: 2009 },
  { code: 'dong_anh', name: 'Đông Anh', nameEn: 'Dong Anh', kind: 'huyen', gsoCode: '017', lat: 21.1392, lon: 105.8353, areaKm2: 182.14, referencePolygonKm2: 191.0, population: 333337, populationYear: 2009 },
  { code: 'gia_lam', name: 'Gia Lâm', nameEn: 'Gia Lam', kind: 'huyen', gsoCode: '018', lat: 21.0321, lon: 105.9482, areaKm2: 114.73, referencePolygonKm2: 118.7, population: 229735, populationYear: 2009 },
  { code: 'thanh_tri', name: 'Thanh Trì', nameEn: 'Thanh Tri', kind: 'huyen', gsoCode: '020', lat: 20.9371, lon: 105.8355, areaKm2: 62.93, referencePolygonKm2: 70.6, population: 198706, populationYear: 2009 },
  { code: 'me_linh', name: 'Mê Linh', nameEn: 'Me Linh', kind: 'huyen', gsoCode: '250', lat: 21.1843, lon: 105.6972, areaKm2: 142.51, referencePolygonKm2: 144.0, population: 191490, populationYear: 2009 },
  { code: 'ba_vi', name: 'Ba Vì', nameEn: 'Ba Vi', kind: 'huyen', gsoCode: '271', lat: 21.1391, lon: 105.381, areaKm2: 424.03, referencePolygonKm2: 420.3, population: 246120, populationYear: 2009 },
  { code: 'phuc_tho', name: 'Phúc Thọ', nameEn: 'Phuc Tho', kind: 'huyen', gsoCode: '272', lat: 21.1135, lon: 105.5809, areaKm2: 117.19, referencePolygonKm2: 118.8, population: 159484, populationYear: 2009 },
  { code: 'dan_phuong', name: 'Đan Phượng', nameEn: 'Dan Phuong', kind: 'huyen', gsoCode: '273', lat: 21.1135, lon: 105.6732, areaKm2: 77.35, referencePolygonKm2: 73.0, population: 142480, populationYear: 2009 },
  { code: 'hoai_duc', name: 'Hoài Đức', nameEn: 'Hoai Duc', kind: 'huyen', gsoCode: '274', lat: 21.0251, lon: 105.6958, areaKm2: 82.47, referencePolygonKm2: 84.2, population: 191106, populationYear: 2009 },
  { code: 'quoc_oai', name: 'Quốc Oai', nameEn: 'Quoc Oai', kind: 'huyen', gsoCode: '275', lat: 20.9679, lon: 105.5996, areaKm2: 147.91, referencePolygonKm2: 151.7, population: 160190, populationYear: 2009 },
  { code: 'thach_that', name: 'Thạch Thất', nameEn: 'Thach That', kind: 'huyen', gsoCode: '276', lat: 21.0188, lon: 105.5304, areaKm2: 184.59, referencePolygonKm2: 173.3, population: 177545, populationYear: 2009 },
  { code: 'chuong_my', name: 'Chương Mỹ', nameEn: 'Chuong My', kind: 'huyen', gsoCode: '277', lat: 20.8778, lon: 105.6597, areaKm2: 232.41, referencePolygonKm2: 229.9, population: 286359, populationYear: 2009 },
  { code: 'thanh_oai', name: 'Thanh Oai', nameEn: 'Thanh Oai', kind: 'huyen', gsoCode: '278', lat: 20.8624, lon: 105.7736, areaKm2: 123.85, referencePolygonKm2: 126.3, population: 167250, populationYear: 2009 },
  { code: 'thuong_tin', name: 'Thường Tín', nameEn: 'Thuong Tin', kind: 'huyen', gsoCode: '279', lat: 20.845, lon: 105.8703, areaKm2: null, referencePolygonKm2: 140.3, population: 219246, populationYear: 2009 },
  { code: 'phu_xuyen', name: 'Phú Xuyên', nameEn: 'Phu Xuyen', kind: 'huyen', gsoCode: '280', lat: 20.7361, lon: 105.8968, areaKm2: 171, referencePolygonKm2: 180.7, population: 181388, populationYear: 2009 },
  { code: 'ung_hoa', name: 'Ứng Hòa', nameEn: 'Ung Hoa', kind: 'huyen', gsoCode: '281', lat: 20.7114, lon: 105.7969, areaKm2: null, referencePolygonKm2: 179.6, population: 182008, populationYear: 2009 },
  { code: 'my_duc', name: 'Mỹ Đức', nameEn: 'My Duc', kind: 'huyen', gsoCode: '282', lat: 20.6915, lon: 105.7163, areaKm2: 230, referencePolygonKm2: 236.0, population: 169999, populationYear: 2009 },
];

/** Hanoi's bounding box (WGS84), from the national administrative GIS layer. */
export const HANOI_BBOX = { minLon: 105.285, minLat: 20.5643, maxLon: 106.0202, maxLat: 21.3855 } as const;

/** Official city area, km². */
export const HANOI_AREA_KM2 = 3359.82;
