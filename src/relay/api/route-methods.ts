/**
 * Which methods each route takes, so that a route called with another method answers 405 with
 * an `Allow` header (docs/api.md, "Routes") instead of the router's 404. Fed by Fastify's `onRoute`
 * hook; asked by the not-found handler, which is where the router sends a known path called
 * with a method it has no handler for.
 */

interface Route {
  pattern: RegExp;
  methods: Set<string>;
}

/** The order `Allow` lists methods in; any other comes after, alphabetically. */
const ORDER = ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS'];

export class RouteMethods {
  private readonly routes = new Map<string, Route>();

  /** Records a route as Fastify declares it: `/api/hits/:hitId`, `/assets/*`. */
  record(url: string, method: string | readonly string[]): void {
    let route = this.routes.get(url);
    if (!route) {
      route = { pattern: compile(url), methods: new Set() };
      this.routes.set(url, route);
    }
    for (const name of typeof method === 'string' ? [method] : method) route.methods.add(name.toUpperCase());
  }

  /**
   * The methods the routes matching `url` take, in `Allow` order, or `undefined` when no route
   * has this path. The query is ignored; percent-escapes are decoded as the router does (all
   * but those of reserved characters such as `/`).
   */
  allowed(url: string): string[] | undefined {
    const raw = url.split('?')[0]!;
    let path: string;
    try {
      path = decodeURI(raw);
    } catch {
      path = raw;
    }
    const methods = new Set<string>();
    for (const route of this.routes.values()) {
      if (route.pattern.test(path)) for (const method of route.methods) methods.add(method);
    }
    if (methods.size === 0) return undefined;
    const rank = (method: string) => (ORDER.includes(method) ? ORDER.indexOf(method) : ORDER.length);
    return [...methods].sort((a, b) => rank(a) - rank(b) || a.localeCompare(b));
  }
}

/** `:name` is one non-empty path segment, `*` anything; the rest is literal. */
function compile(url: string): RegExp {
  const source = url
    .split(/(:[A-Za-z0-9_]+|\*)/)
    .map((part) => {
      if (part === '*') return '.*';
      if (part.startsWith(':')) return '[^/]+';
      return part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    })
    .join('');
  return new RegExp(`^${source}$`);
}
