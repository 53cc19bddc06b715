// The shipped GeoJSON files' text (the header's keys, then one feature per line: readable diffs, a small file), and
// how a build ends: its report, then the file written only when no check failed.
import { writeFileSync } from 'node:fs';
export function featureCollectionText(header: Record<string, unknown>, features: readonly unknown[]): string {
  return (
    '{\n' +
    Object.entries(header)
      .map(([k, v]) => `  ${JSON.stringify(k)}: ${JSON.stringify(v)},\n`)
      .join('') +
    '  "features": [\n' +
    features.map((f) => '    ' + JSON.stringify(f)).join(',\n') +
    '\n  ]\n}\n'
  );
}

export function finishBuild(outFile: string, built: { geojson: string; report: string[]; problems: string[] }): void {
  console.log(built.report.join('\n'));
  if (built.problems.length > 0) {
    console.error(`not written: ${built.problems.join('; ')}`);
    process.exitCode = 1;
  } else {
    writeFileSync(outFile, built.geojson);
    console.log(`wrote ${outFile}`);
  }
}
