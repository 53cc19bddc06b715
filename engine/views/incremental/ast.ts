// DuckDB's own syntax trees (json_serialize_sql) of a view's SELECT: read to see what it computes, rewritten, and
// turned back into SQL by DuckDB (json_deserialize_sql). No SQL text is taken apart by hand.
import type { Connection } from '../../db.ts';

export type Node = { [key: string]: unknown };

/**
 * DuckDB's answers by text: the same text always gives the same tree (and the same tree the same text), and every
 * start, every rebuilt view set and every engine of a process asks for the same few hundred. Bounded, since views made
 * at run time bring texts of their own.
 */
class Answers {
  private readonly map = new Map<string, string>();
  async get(key: string, ask: () => Promise<string>): Promise<string> {
    let answer = this.map.get(key);
    if (answer === undefined) {
      answer = await ask();
      if (this.map.size >= 4096) this.map.clear();
      this.map.set(key, answer);
    }
    return answer;
  }
}
const serialized = new Answers();
const deserialized = new Answers();

/** The SELECT node of one statement, or why there is none. */
export async function parseSelect(conn: Connection, sql: string): Promise<Node | string> {
  const json = await serialized.get(sql, async () => {
    const { rows } = await conn.query('SELECT json_serialize_sql($sql::VARCHAR)', { sql });
    return String(rows[0]?.[0]);
  });
  // Parsed afresh each time: callers get a tree of their own to rewrite.
  const tree = JSON.parse(json) as { error: boolean; error_message?: string; statements?: Node[] };
  if (tree.error) return tree.error_message ?? 'not a statement DuckDB can serialize';
  if (tree.statements?.length !== 1) return 'not one statement';
  const node = tree.statements[0]!['node'] as Node;
  return node['type'] === 'SELECT_NODE' ? node : `a ${String(node['type'])}, not a plain SELECT`;
}

/** SQL text of a SELECT node, written by DuckDB. */
export async function unparse(conn: Connection, node: Node): Promise<string> {
  // Positions in the text mean nothing for a rewritten tree, and their largest values do not survive JSON numbers.
  const json = JSON.stringify({ error: false, statements: [{ node }] }, (k, v: unknown) =>
    k === 'query_location' ? undefined : v,
  );
  return deserialized.get(json, async () => {
    const { rows } = await conn.query('SELECT json_deserialize_sql($json::JSON)', { json });
    return String(rows[0]?.[0]);
  });
}

/** Trees of expressions already parsed: the same text always gives the same tree, and start-up asks for many. */
const parsed = new Map<string, Node>();

/** The tree of one expression, as DuckDB parses it. */
export async function expression(conn: Connection, sql: string, alias = ''): Promise<Node> {
  let tree = parsed.get(sql);
  if (!tree) {
    const node = await parseSelect(conn, `SELECT ${sql}`);
    if (typeof node === 'string') throw new Error(`cannot parse ${sql}: ${node}`);
    tree = (node['select_list'] as Node[])[0] as Node;
    parsed.set(sql, tree);
  }
  return { ...tree, alias };
}

/** Every node of a tree, parents before children (iterative: a deep tree must not blow the stack). */
export function* nodes(root: unknown): Generator<Node> {
  const stack: unknown[] = [root];
  while (stack.length > 0) {
    const n = stack.pop();
    if (Array.isArray(n)) stack.push(...n);
    else if (n && typeof n === 'object') {
      if ('class' in n) yield n as Node;
      stack.push(...Object.values(n));
    }
  }
}

/** A copy of the tree with each node `replace` answers for swapped whole (its children are not visited). */
export function rewrite(root: unknown, replace: (n: Node) => Node | undefined): unknown {
  if (Array.isArray(root)) return root.map((x) => rewrite(x, replace));
  if (!root || typeof root !== 'object') return root;
  const node = root as Node;
  if ('class' in node) {
    const swapped = replace(node);
    if (swapped) return { ...swapped, alias: swapped['alias'] || node['alias'] };
  }
  return Object.fromEntries(Object.entries(node).map(([k, v]) => [k, rewrite(v, replace)]));
}

/** Structural equality, ignoring where the text stood. */
export function same(a: unknown, b: unknown): boolean {
  const clean = (x: unknown): unknown =>
    JSON.parse(JSON.stringify(x, (k, v: unknown) => (k === 'query_location' || k === 'alias' ? undefined : v)));
  return JSON.stringify(clean(a)) === JSON.stringify(clean(b));
}
