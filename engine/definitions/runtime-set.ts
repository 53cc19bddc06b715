// What views and alert rules made at run time share: the stored ones loaded at start-up (one that no longer loads is
// left out and listed as failed, never a reason to stop the engine), their authorship, and their problems as 400s.
import { EngineError } from '../errors.ts';
import type { Logger } from '../log.ts';
import type { DefinitionOrigin } from '../../dashboards/shared/wire/index.ts';
import { DefinitionError } from './header.ts';
import type { DefinitionKind, RuntimeDefinitions, StoredDefinition } from './runtime-store.ts';

export interface LoadedDefinitions {
  stored: StoredDefinition[];
  broken: Map<string, string>;
}

/** The file name a definition made at run time is known by in errors and listings. */
export const apiFile = (name: string): string => `api:${name}`;

/** Hands each stored definition of `kind` to `add`, in creation order; one `add` refuses is listed with its reason. */
export async function loadStored(
  store: RuntimeDefinitions,
  kind: DefinitionKind,
  add: (d: StoredDefinition) => void,
  log: Logger,
): Promise<LoadedDefinitions> {
  const loaded: LoadedDefinitions = { stored: [], broken: new Map() };
  for (const d of await store.list(kind)) {
    try {
      add(d);
      loaded.stored.push(d);
    } catch (err) {
      loaded.broken.set(d.name, (err as Error).message);
      log.error(`a ${kind} created at run time no longer loads; it is left out`, { name: d.name, err });
    }
  }
  return loaded;
}

export class RuntimeSet {
  protected readonly runtime = new Map<string, StoredDefinition>();
  /** Stored ones that no longer load, with the reason. */
  protected readonly broken = new Map<string, string>();

  adopt(loaded: LoadedDefinitions): void {
    for (const d of loaded.stored) this.runtime.set(d.name, d);
    for (const [n, e] of loaded.broken) this.broken.set(n, e);
  }

  isRuntime(name: string): boolean {
    return this.runtime.has(name) || this.broken.has(name);
  }

  /** The text and authorship of a runtime definition (nothing for a file's). */
  protected authorship(stored: StoredDefinition | undefined): Partial<DefinitionOrigin> {
    if (!stored) return {};
    const { text, createdBy, createdAt, updatedBy, updatedAt } = stored;
    return { text, createdBy, createdAt, updatedBy, updatedAt };
  }

  /** Stores the change and keeps what was stored: the next start loads it the same way. */
  protected async remember(
    store: RuntimeDefinitions,
    kind: DefinitionKind,
    name: string,
    text: string,
    who: string,
    at: number,
  ): Promise<void> {
    await store.put(kind, name, text, who, at);
    this.runtime.set(name, (await store.get(kind, name))!);
    this.broken.delete(name);
  }

  /** Why `name` cannot be changed here: it comes from `file`, or there is no such definition (listed at `list`). */
  protected notRuntime(what: string, name: string, file: string | undefined, list: string): EngineError {
    return file !== undefined
      ? new EngineError(
          'conflict',
          `${what} "${name}" is defined in ${file}; only ${what}s created over the API change here`,
        )
      : new EngineError('not_found', `no ${what} named "${name}"; GET ${list} lists them`);
  }

  protected async forget(store: RuntimeDefinitions, kind: DefinitionKind, name: string, who: string, at: number) {
    await store.remove(kind, name, who, at);
    this.runtime.delete(name);
    this.broken.delete(name);
  }
}

/** A definition problem as the API answers it: 400 naming the line and the reason (`line` overrides the header's). */
export function definitionProblem(err: unknown, line?: (reason: string) => number): unknown {
  if (!(err instanceof DefinitionError)) return err;
  const reason = err.message.slice(`${err.file}:${err.line}: `.length);
  const at = line ? line(reason) : err.line;
  return new EngineError('bad_request', `line ${at}: ${reason}`, { details: { line: at, reason } });
}
