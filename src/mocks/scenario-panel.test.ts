import { getAllByRole, getByRole, getByText } from '@testing-library/dom';
import { afterEach, describe, expect, it } from 'vitest';
import { mountScenarioPanel, scenarioHref } from './scenario-panel.ts';
import { SCENARIOS } from './scenarios.ts';

afterEach(() => {
  document.body.replaceChildren();
});

describe('scenario panel', () => {
  it('names the scenario playing and links every scenario, keeping the other query parameters', () => {
    const panel = mountScenarioPanel({
      scenarios: SCENARIOS,
      current: 'stall',
      href: 'http://localhost/demo/?scenario=stall&window=300#main',
    });
    const aside = getByRole(document.body, 'complementary', { name: 'Mock mode' });
    expect(aside).toBe(panel.element);
    expect(document.body.firstElementChild).toBe(aside);
    expect(getByText(aside, 'Stall', { selector: 'strong' })).toBeTruthy();
    const nav = getByRole(aside, 'navigation', { name: 'Mock scenarios', hidden: true });
    const links = getAllByRole(nav, 'link', { hidden: true });
    expect(links.map((a) => a.textContent)).toEqual(SCENARIOS.map((s) => s.title));
    const burst = links.find((a) => a.dataset.scenario === 'burst')!;
    expect(burst.getAttribute('href')).toBe('/demo/?scenario=burst&window=300#main');
    const current = links.filter((a) => a.hasAttribute('aria-current'));
    expect(current.map((a) => a.dataset.scenario)).toEqual(['stall']);
    expect(current[0]!.getAttribute('aria-current')).toBe('page');
  });

  it('is a disclosure a keyboard reaches: a summary first, the links inside', () => {
    mountScenarioPanel({ scenarios: SCENARIOS, current: 'healthy', href: 'http://localhost/' });
    const details = document.querySelector('details')!;
    expect(details.open).toBe(false);
    expect(details.firstElementChild!.tagName).toBe('SUMMARY');
  });

  it('shows why mock mode could not start, opened, as an alert', () => {
    const panel = mountScenarioPanel({ scenarios: SCENARIOS, current: 'healthy', href: 'http://localhost/' });
    panel.showError('Mock mode could not start.');
    expect(getByRole(document.body, 'alert', { hidden: false }).textContent).toBe('Mock mode could not start.');
    expect(document.querySelector('details')!.open).toBe(true);
    panel.remove();
    expect(document.querySelector('aside')).toBeNull();
  });

  it('builds scenario links from any page URL', () => {
    expect(scenarioHref('http://h/sub/index.html?q=x', 'burst')).toBe('/sub/index.html?q=x&scenario=burst');
  });
});
