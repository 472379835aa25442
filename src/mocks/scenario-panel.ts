import type { Scenario } from './scenarios.ts';

/**
 * The small "Mock mode" panel: which scenario is playing, and links to every other one. A link
 * reloads the page with `?scenario=` (other query parameters kept), so switching is plain
 * navigation: keyboard and screen readers need nothing special. Plain DOM in its own element
 * above the app (in the flow, so it never covers the dashboard), outside the React tree;
 * mounted only by `startMocks()`.
 */

export interface ScenarioPanelOptions {
  scenarios: readonly Scenario[];
  current: string;
  /** The page's URL (default `location.href`). */
  href?: string;
  /** Where the panel goes, as its first child (default `document.body`). */
  parent?: HTMLElement;
}

export interface ScenarioPanel {
  element: HTMLElement;
  /** Shows that mock mode could not start, and why. */
  showError(message: string): void;
  remove(): void;
}

const STYLE_ID = 'mock-panel-style';

const CSS = `
.mock-panel { font: 14px/1.4 system-ui, sans-serif; color: #f8fafc; background: #1e293b;
  border-bottom: 3px solid #f59e0b; }
.mock-panel summary { cursor: pointer; padding: 0.3rem 0.75rem; }
.mock-panel summary:focus-visible, .mock-panel a:focus-visible { outline: 3px solid #fbbf24; outline-offset: 2px; }
.mock-panel__body { padding: 0 0.75rem 0.6rem; }
.mock-panel__body p { margin: 0.25rem 0 0.5rem; }
.mock-panel ul { list-style: none; margin: 0; padding: 0; display: grid; gap: 0.3rem 1.5rem;
  grid-template-columns: repeat(auto-fill, minmax(18rem, 1fr)); }
.mock-panel a { color: #fde68a; font-weight: 600; }
.mock-panel a[aria-current] { color: #f8fafc; text-decoration: none; }
.mock-panel a[aria-current]::after { content: ' (playing)'; font-weight: 400; }
.mock-panel__desc { display: block; color: #cbd5e1; font-size: 12px; }
.mock-panel__error { color: #fecaca; font-weight: 600; }
`;

/** The page's URL with `scenario` set, every other query parameter kept. */
export function scenarioHref(href: string, name: string): string {
  const url = new URL(href);
  url.searchParams.set('scenario', name);
  return `${url.pathname}${url.search}${url.hash}`;
}

function el<K extends keyof HTMLElementTagNameMap>(tag: K, attrs: Record<string, string> = {}, text?: string) {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attrs)) node.setAttribute(name, value);
  if (text !== undefined) node.textContent = text;
  return node;
}

export function mountScenarioPanel(options: ScenarioPanelOptions): ScenarioPanel {
  const href = options.href ?? location.href;
  const parent = options.parent ?? document.body;
  if (!document.getElementById(STYLE_ID)) {
    const style = el('style', { id: STYLE_ID });
    style.textContent = CSS;
    document.head.append(style);
  }
  const current = options.scenarios.find((s) => s.name === options.current);

  const aside = el('aside', { class: 'mock-panel', 'aria-label': 'Mock mode', 'data-testid': 'mock-panel' });
  const details = el('details');
  const summary = el('summary');
  summary.append('Mock mode: ', el('strong', {}, current?.title ?? options.current));
  const body = el('div', { class: 'mock-panel__body' });
  body.append(el('p', {}, 'No relay: this tab plays a scenario with MSW. Pick another one (the page reloads):'));
  const nav = el('nav', { 'aria-label': 'Mock scenarios' });
  const list = el('ul');
  for (const scenario of options.scenarios) {
    const item = el('li');
    const link = el('a', { href: scenarioHref(href, scenario.name), 'data-scenario': scenario.name }, scenario.title);
    if (scenario.name === options.current) link.setAttribute('aria-current', 'page');
    item.append(link, el('span', { class: 'mock-panel__desc' }, scenario.description));
    list.append(item);
  }
  nav.append(list);
  body.append(nav);
  details.append(summary, body);
  aside.append(details);
  parent.prepend(aside);

  return {
    element: aside,
    showError(message) {
      const p = el('p', { class: 'mock-panel__error', role: 'alert' }, message);
      body.prepend(p);
      details.open = true;
    },
    remove() {
      aside.remove();
    },
  };
}
