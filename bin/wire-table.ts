// Prints the README's wire table as the family definitions write it: paste it under "Events on the wire" after a
// family changes (test/schema/wire-table.test.ts says when it is due).
import { wireTable } from '../engine/schema/wire-docs.ts';

process.stdout.write(`${wireTable().join('\n')}\n`);
