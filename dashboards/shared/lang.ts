// The pages' language: Vietnamese by default, English on request, one choice remembered for every page in localStorage.
export type Lang = 'vi' | 'en';

const STORAGE_KEY = 'ioc.lang';

export function loadLang(): Lang {
  try {
    return localStorage.getItem(STORAGE_KEY) === 'en' ? 'en' : 'vi';
  } catch {
    // Storage can be disabled by policy on kiosk browsers; the default still works.
    return 'vi';
  }
}

export function saveLang(lang: Lang): void {
  try {
    localStorage.setItem(STORAGE_KEY, lang);
  } catch {
    // Not remembering the choice is acceptable.
  }
}
