// The page's elements by id: a missing one is a page out of step with its index.html, said at once by name.

export function byId<T extends HTMLElement>(id: string, page: string): T {
  const el = document.getElementById(id);
  if (!el) throw new Error(`${page}: missing #${id} in index.html`);
  return el as T;
}
