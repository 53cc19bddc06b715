// What the doors of views and alert rules made at run time share: the body (the definition's text itself, as
// text/plain, or JSON {source}) and who may change one.
import type { Context } from 'hono';
import { z } from 'zod';
import { identityOf, type AccessEnv } from '../access/index.ts';
import type { DefinitionOrigin } from '../../dashboards/shared/wire/index.ts';
import { DEFINITION_MAX_TEXT } from '../cluster/index.ts';
import { EngineError } from '../errors.ts';
import { readBody } from './body-limit.ts';

const JsonSource = z.strictObject({
  source: z.string({ error: 'must be the definition text (its header, and a view its SELECT)' }),
});
/** A JSON body's escapes make it longer than the text it carries (\uXXXX is six bytes for one character). */
const BODY_MAX_BYTES = 6 * DEFINITION_MAX_TEXT;

export async function definitionText(c: Context<AccessEnv>, what: 'view' | 'rule'): Promise<string> {
  const bytes = await readBody(c, BODY_MAX_BYTES);
  let raw: string;
  try {
    raw = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    throw new EngineError('bad_request', `the ${what} is not UTF-8 text`);
  }
  const type = c.req.header('content-type') ?? '';
  let text = raw;
  if (/^application\/(.+\+)?json\b/i.test(type)) {
    let body: unknown;
    try {
      body = JSON.parse(raw);
    } catch (err) {
      throw new EngineError('bad_request', `request body is not valid JSON: ${(err as Error).message}`);
    }
    const parsed = JsonSource.safeParse(body);
    if (!parsed.success)
      throw new EngineError(
        'bad_request',
        parsed.error.issues
          .map((i) => (i.path.length ? `field "${i.path.join('.')}": ${i.message}` : `body: ${i.message}`))
          .join('; '),
      );
    text = parsed.data.source;
  }
  text = text.replace(/^\uFEFF/, '').replaceAll('\r\n', '\n');
  if (text.trim() === '')
    throw new EngineError('bad_request', `the body holds no ${what}: send its text (the format of views/)`);
  if (text.length > DEFINITION_MAX_TEXT)
    throw new EngineError('too_large', `the ${what} is ${text.length} characters; at most ${DEFINITION_MAX_TEXT}`);
  return text;
}

/** A runtime definition is changed by whoever created it, or an admin; a file's by no one over the API. */
export function mayChange(c: Context<AccessEnv>, what: 'view' | 'rule', d: DefinitionOrigin): void {
  if (d.origin === 'file')
    throw new EngineError(
      'conflict',
      `${what} "${d.name}" is defined in ${d.file}; only ${what}s created over the API change here`,
    );
  const who = identityOf(c);
  if (who.role !== 'admin' && d.createdBy !== who.name)
    throw new EngineError(
      'forbidden',
      `${what} "${d.name}" was created by ${d.createdBy}; only they or an admin may change it`,
    );
}
