// The glyphs area names can use: ASCII plus every Vietnamese letter, so the label font atlas is built once.
const BASES = 'aăâeêioôơuưyAĂÂEÊIOÔƠUƯY';
/** Grave, acute, hook above, tilde, dot below. */
const TONES = ['\u0300', '\u0301', '\u0309', '\u0303', '\u0323'];

function build(): string[] {
  const chars = new Set<string>();
  for (let code = 32; code < 127; code++) chars.add(String.fromCharCode(code));
  for (const base of BASES) {
    chars.add(base);
    for (const tone of TONES) chars.add((base + tone).normalize('NFC'));
  }
  for (const c of 'đĐ–·’') chars.add(c);
  return [...chars];
}

export const LABEL_CHARACTER_SET: readonly string[] = build();
