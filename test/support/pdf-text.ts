// The text of a PDF, page by page, as PDF.js reads it back: what a reader copying from the document gets.
import { getDocument } from 'pdfjs-dist/legacy/build/pdf.mjs';

export async function pdfText(data: Uint8Array): Promise<string[]> {
  // PDF.js takes ownership of the bytes it is given.
  const pdf = await getDocument({ data: data.slice(), isEvalSupported: false, verbosity: 0 }).promise;
  const pages: string[] = [];
  for (let i = 1; i <= pdf.numPages; i++) {
    const content = await (await pdf.getPage(i)).getTextContent();
    pages.push(
      content.items
        .map((it) => ('str' in it ? it.str + (it.hasEOL ? '\n' : '') : ''))
        .join('')
        .replace(/[ \n]+/g, ' '),
    );
  }
  await pdf.destroy();
  return pages;
}
