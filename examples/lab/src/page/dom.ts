/** Small DOM helpers for the page. */

/** The element with this id (the page's HTML has them all). */
export function byId<T extends HTMLElement = HTMLElement>(id: string): T {
  const e = document.getElementById(id);
  if (e === null) throw new Error(`the page has no #${id}`);
  return e as T;
}

/** A new element with attributes and children (strings become text). */
export function el<K extends keyof HTMLElementTagNameMap>(tag: K, attrs: Record<string, string> = {}, ...children: (Node | string)[]): HTMLElementTagNameMap[K] {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) e.setAttribute(k, v);
  e.append(...children);
  return e;
}

/** A score with 3 decimals. */
export const f3 = (v: number) => v.toFixed(3);

/** A signed difference with 3 decimals and a true minus sign. */
export const signed = (v: number) => `${v >= 0 ? '+' : '−'}${Math.abs(v).toFixed(3)}`;

/** An error's message for the page: the message only, never a stack. */
export const messageOf = (e: unknown) => (e instanceof Error ? e.message : String(e)).split('\n')[0]!;
