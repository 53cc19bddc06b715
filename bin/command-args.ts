// The commands' arguments read one way: options and positionals, --help, and a refusal that shows the usage.
import { parseArgs, type ParseArgsConfig } from 'node:util';

const HELP = { help: { type: 'boolean', short: 'h' } } as const;

export interface CommandText {
  /** As typed after `ioc`: `backup`, `devices`. */
  name: string;
  usage: string;
}

/** The problem and the usage on stderr; exit status 2. */
export function usageError(c: CommandText, problem: string): number {
  process.stderr.write(`ioc ${c.name}: ${problem}\n\n${c.usage}`);
  return 2;
}

/** The parsed arguments; or the exit status, once --help printed the usage (0) or a bad option was named (2). */
export function commandArgs<const O extends NonNullable<ParseArgsConfig['options']>>(
  c: CommandText,
  args: string[],
  options: O,
): ReturnType<typeof parseArgs<{ args: string[]; allowPositionals: true; options: O & typeof HELP }>> | number {
  let parsed;
  try {
    parsed = parseArgs<{ args: string[]; allowPositionals: true; options: O & typeof HELP }>({
      args,
      allowPositionals: true,
      options: { ...options, ...HELP },
    });
  } catch (err) {
    return usageError(c, (err as Error).message);
  }
  if ((parsed.values as { help?: boolean }).help) {
    process.stdout.write(c.usage);
    return 0;
  }
  return parsed;
}
