// Be Vietnam Pro for the PDF: the package ships it in subsets (latin, latin-ext, vietnamese), so text is cut into runs,
// each in the subset that has its glyphs; the files come with the package, nothing is fetched at run time.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { woffToSfnt } from './woff.ts';

const SUBSETS = ['latin', 'vietnamese', 'latin-ext'] as const;
type Subset = (typeof SUBSETS)[number];
export type Weight = 'regular' | 'bold';

const require = createRequire(import.meta.url);
const root = dirname(require.resolve('@fontsource/be-vietnam-pro/package.json'));
const read = (file: string): Buffer => readFileSync(join(root, file));

/** Code point ranges per subset, from the package's own unicode.json ("U+0102-0103,U+0110,…"). */
function ranges(): Record<Subset, [number, number][]> {
  const json = JSON.parse(read('unicode.json').toString('utf8')) as Record<Subset, string>;
  const out = {} as Record<Subset, [number, number][]>;
  for (const s of SUBSETS)
    out[s] = json[s].split(',').map((r) => {
      const [a, b] = r.replace(/U\+/g, '').split('-');
      return [parseInt(a!, 16), parseInt(b ?? a!, 16)];
    });
  return out;
}

export interface PdfFonts {
  /** The font name to register and its file, for each subset and weight. */
  files: { name: string; data: Buffer }[];
  /** The text cut into runs, each with the registered font that draws it. */
  runs(text: string, weight: Weight): { font: string; text: string }[];
}

/** Signs the subsets lack, written with ones they have. */
const STAND_INS: Record<string, string> = { '≥': '>=', '≤': '<=', '▲': '+', '▼': '-', '→': '=', '∅': '-' };

let loaded: PdfFonts | null = null;

export function pdfFonts(): PdfFonts {
  if (loaded) return loaded;
  const cover = ranges();
  const files: PdfFonts['files'] = [];
  for (const s of SUBSETS)
    for (const [weight, w] of [
      ['regular', 400],
      ['bold', 700],
    ] as const)
      files.push({ name: `${s}-${weight}`, data: woffToSfnt(read(`files/be-vietnam-pro-${s}-${w}-normal.woff`)) });
  const subsetOf = (cp: number): Subset =>
    SUBSETS.find((s) => cover[s].some(([a, b]) => cp >= a && cp <= b)) ?? 'latin';
  loaded = {
    files,
    runs(text, weight) {
      const out: { font: string; text: string }[] = [];
      // Precomposed letters (ộ, not o + two marks) are what the subsets draw and what text extraction gives back.
      for (const ch of text.normalize('NFC')) {
        const c = STAND_INS[ch] ?? ch;
        const font = `${subsetOf(c.codePointAt(0)!)}-${weight}`;
        const last = out[out.length - 1];
        if (last?.font === font) last.text += c;
        else out.push({ font, text: c });
      }
      return out;
    },
  };
  return loaded;
}
