import type { Locator, Page } from '@playwright/test';
import { expect, test } from '../support/mock-app.ts';

/**
 * Every mock scenario, checked for what a person sees: state words, countdowns moving and
 * ending, the action guidance, the sampled marker, the greyed charts, the generic guidance for an
 * action the dashboard does not know, the malformed count. The browser clock is Playwright's
 * (`page.clock`), so minutes of waiting pass in a few seconds.
 */

function shardCard(page: Page, shard: number): Locator {
  return page
    .getByRole('list', { name: 'Shards' })
    .getByRole('listitem')
    .filter({ has: page.getByText(`Shard ${shard}`, { exact: true }) });
}

function problemCard(page: Page, code: string): Locator {
  return page.getByRole('article', { name: code });
}

/** A resolved error object: collapsed to one line saying when it was resolved. */
function resolvedProblem(page: Page, code: string): Locator {
  return page.getByTestId('problem-resolved').filter({ has: page.locator('summary code', { hasText: code }) });
}

/** "57 s" → 57, "2:00" → 120, "1:02:03" → 3723. */
function seconds(text: string | null): number {
  const parts = (text ?? '').replace(/\s*s$/, '').trim().split(':').map(Number);
  return parts.reduce((total, part) => total * 60 + part, 0);
}

async function countdownSeconds(card: Locator): Promise<number> {
  return seconds(await card.locator('time').textContent());
}

const RETRY_AFTER_GUIDANCE = 'Wait: the relay reconnects by itself when the countdown ends';

test.describe('mock scenarios', () => {
  test('healthy: streaming, connected, no error objects, hits flowing', async ({ page, mock }) => {
    await mock.open({ scenario: 'healthy' });
    await expect(shardCard(page, 0).getByText('streaming', { exact: true })).toBeVisible();
    await expect(page.getByText('1 of 1 streaming')).toBeVisible();
    await expect(page.getByText('connected', { exact: true })).toBeVisible();
    await expect(page.getByText(/^No error objects\./)).toBeVisible();
    await expect(page.getByText(/^Now [\d.]+ hits\/s; average/)).toBeVisible();
    await expect(page.getByRole('grid', { name: 'Live hits, newest first' }).getByRole('row').nth(5)).toBeVisible();
  });

  test('churn-409: the wait grows 60 → 120 → 240 s, the countdown moves and ends, then it streams', async ({
    page,
    mock,
  }) => {
    await mock.open({ scenario: 'churn-409', clock: true });
    const card = shardCard(page, 0);
    await expect(card.getByText('waiting', { exact: true })).toBeVisible();
    await expect(
      card.getByText(/Livestream answered 409: another client still holds this connection\. Waiting 60 s/),
    ).toBeVisible();
    const start = await countdownSeconds(card);
    expect(start).toBeGreaterThanOrEqual(58);
    expect(start).toBeLessThanOrEqual(60);
    await expect(problemCard(page, 'too_many_connections').getByText(RETRY_AFTER_GUIDANCE)).toBeVisible();
    // The reconnect button respects the cooldown.
    await expect(card.getByRole('button', { name: /Reconnect now \(in \d+ s\)/ })).toBeDisabled();

    // advance() adds 100 ms for drawing: exactly 20 s pass, whatever the fraction of a second left.
    await mock.advance(19_900);
    expect(await countdownSeconds(card)).toBe(start - 20);

    // The first wait ends; the second 409 doubles it.
    await mock.advance(41_000);
    await expect(card.getByText(/Waiting 2 min \(longer after each 409/)).toBeVisible();
    await expect(card.locator('time')).toHaveText(/^(2:00|1:5\d)$/);

    await mock.advance(121_000);
    await expect(card.getByText(/Waiting 4 min \(longer after each 409/)).toBeVisible();
    await expect(card.locator('time')).toHaveText(/^(4:00|3:5\d)$/);

    // Near the end, then past it: the countdown ends, the shard connects and streams.
    await mock.advance((await countdownSeconds(card)) * 1000 - 5_000);
    await expect(card.locator('time')).toHaveText(/^[4-6] s$/);
    await mock.advance(7_000);
    await expect(card.getByText('streaming', { exact: true })).toBeVisible();
    await expect(card.locator('time')).toHaveCount(0);
    // Streaming again resolves the three refusals: collapsed, no longer leading the panel.
    await expect(resolvedProblem(page, 'too_many_connections').getByText(/3 times, resolved/)).toBeVisible();
    await expect(problemCard(page, 'too_many_connections')).toHaveCount(0);
  });

  test('no-traffic-503: refused with 503, waiting, guidance, charts show no traffic', async ({ page, mock }) => {
    await mock.open({ scenario: 'no-traffic-503', clock: true });
    const card = shardCard(page, 0);
    await expect(card.getByText('waiting', { exact: true })).toBeVisible();
    await expect(card.getByText(/Livestream asked to retry later \(Retry-After 60 s\); waiting 60 s/)).toBeVisible();
    const problem = problemCard(page, 'service_unavailable');
    await expect(problem.getByText('No data is currently flowing for this stream.')).toBeVisible();
    await expect(problem.getByText(RETRY_AFTER_GUIDANCE)).toBeVisible();
    await expect(page.getByText('0 of 1 streaming')).toBeVisible();
    await mock.advance(10_000);
    await expect(page.getByText(/^No data: reconnect wait /).first()).toBeVisible();
    await expect(page.getByText('Waiting for hits…')).toBeVisible();
  });

  test('token-expired: a 401 fixed at once, then a second one ends in failed with application-registration', async ({
    page,
    mock,
  }) => {
    await mock.open({ scenario: 'token-expired', clock: true });
    const card = shardCard(page, 0);
    await expect(card.getByText('streaming', { exact: true })).toBeVisible();
    // The fresh token fixed it: resolved at once, nothing to do.
    const healed = resolvedProblem(page, 'access_token_expired');
    await expect(healed.getByText(/once, resolved/)).toBeVisible();
    await healed.locator('summary').click();
    await expect(healed.getByText(/Reconnecting at once with a fresh token\./)).toBeVisible();
    await expect(healed.getByTestId('problem-guidance')).toContainText('nothing to do');
    await expect(healed.getByTestId('problem-guidance')).not.toContainText('restart the relay');
    await healed.locator('summary').click();
    const problem = problemCard(page, 'access_token_expired');

    // The stream ends after 20 s: the cooldown, then the fresh token is refused too.
    await mock.advance(21_000);
    await expect(card.getByText('waiting', { exact: true })).toBeVisible();
    await expect(card.getByText(/Waiting 60 s after a lost connection/)).toBeVisible();
    await mock.advance(61_000);
    await expect(card.getByText('failed', { exact: true })).toBeVisible();
    await expect(card.getByText(/Retrying cannot fix this: the relay will not reconnect by itself/)).toBeVisible();
    await expect(problem.getByText('Livestream refused a freshly issued access token (401 twice).')).toBeVisible();
    await expect(problem.getByText('application-registration', { exact: true })).toBeVisible();
    await expect(
      problem.getByText(/the credentials are no longer accepted: in the Adobe Developer Console/),
    ).toBeVisible();
    await expect(page.getByText('0 of 1 streaming')).toBeVisible();
  });

  test('stall: stalled, then lost and waiting, then streaming again', async ({ page, mock }) => {
    await mock.open({ scenario: 'stall', clock: true });
    const card = shardCard(page, 0);
    await expect(card.getByText('streaming', { exact: true })).toBeVisible();
    await mock.advance(26_000);
    await expect(card.getByText('stalled', { exact: true })).toBeVisible();
    await expect(
      card.getByText(/^No data for \d+ s; after 30 s without a byte the connection is treated as lost\./),
    ).toBeVisible();
    await mock.advance(15_000);
    await expect(card.getByText('waiting', { exact: true })).toBeVisible();
    await expect(
      card.getByText(/Waiting 60 s: no data arrived for 30 s, so the connection was treated as lost/),
    ).toBeVisible();
    await expect(problemCard(page, 'stream_stalled').getByText(RETRY_AFTER_GUIDANCE)).toBeVisible();
    await mock.advance(61_000);
    await expect(card.getByText('streaming', { exact: true })).toBeVisible();
  });

  test('shards-partial: four shards, three streaming, shard 2 waiting with its own error object', async ({
    page,
    mock,
  }) => {
    await mock.open({ scenario: 'shards-partial' });
    await expect(page.getByRole('list', { name: 'Shards' }).getByRole('listitem')).toHaveCount(4);
    await expect(page.getByText('3 of 4 streaming')).toBeVisible();
    for (const shard of [0, 1, 3]) {
      await expect(shardCard(page, shard).getByText('streaming', { exact: true })).toBeVisible();
    }
    const waiting = shardCard(page, 2);
    await expect(waiting.getByText('waiting', { exact: true })).toBeVisible();
    await expect(waiting.getByText('service_unavailable')).toBeVisible();
    await expect(waiting.locator('time')).toHaveText(/^\d:\d\d$|^\d+ s$/);
    await waiting.getByText('What to do').click();
    await expect(waiting.getByText(RETRY_AFTER_GUIDANCE)).toBeVisible();
    await expect(
      problemCard(page, 'service_unavailable').getByText('HTML page: 503 Service Unavailable'),
    ).toBeVisible();
    await expect(
      page.getByText(/By shard: shard 0: [\d,]+, shard 1: [\d,]+, shard 2: [\d,]+, shard 3: [\d,]+\./),
    ).toBeVisible();
  });

  test('burst: the feed is sampled ("1 in N shown") while the charts count every hit', async ({ page, mock }) => {
    await mock.open({ scenario: 'burst' });
    const traffic = page.getByRole('region', { name: 'Traffic' });
    await expect(traffic.getByText(/^1 in \d+ shown$/)).toBeVisible();
    await expect(traffic.getByText(/Charts count every hit\./)).toBeVisible();
    const feed = page.getByRole('region', { name: 'Live feed' });
    await expect(feed.getByText(/^1 in \d+ shown$/)).toBeVisible();
    // The first second after the stream opens is partial; the next full ones carry the burst.
    const rateNow = page.getByText(/^Now [\d,]+ hits\/s/);
    await expect(rateNow).toBeVisible();
    await expect
      .poll(async () => Number(/Now ([\d,]+)/.exec((await rateNow.textContent()) ?? '')?.[1]?.replace(/,/g, '')), {
        timeout: 10_000,
      })
      .toBeGreaterThan(1000);
  });

  test("relay-down: the browser's own link fails and retries, charts grey out, then it recovers", async ({
    page,
    mock,
  }) => {
    await mock.open({ scenario: 'relay-down', clock: true });
    const map = page.getByRole('region', { name: 'Connection map' });
    await expect(map.getByText('connected', { exact: true })).toBeVisible();
    await expect(page.getByText(/^Relay link down:/)).toHaveCount(0);

    await mock.advance(7_000);
    await expect(map.getByText(/^retrying$|^connecting \(attempt \d+\)$/)).toBeVisible();
    await expect(page.getByText(/^Relay link down: data as of \d\d:\d\d:\d\d [A-Z][\w+-]*$/)).toBeVisible();
    await expect(page.getByTestId('traffic-panel').locator('[data-stale]')).toHaveCount(1);
    await expect(map.getByRole('button', { name: 'Retry now' })).toBeVisible();
    await expect(map.locator('time')).toHaveText(/^\d+ s$/);

    await mock.advance(60_000);
    await expect(map.getByText('connected', { exact: true })).toBeVisible();
    await expect(page.getByText(/^Relay link down:/)).toHaveCount(0);
    await expect(page.getByTestId('traffic-panel').locator('[data-stale]')).toHaveCount(0);
  });

  test('unknown-action: a code and an action the dashboard does not know get the generic guidance', async ({
    page,
    mock,
  }) => {
    await mock.open({ scenario: 'unknown-action' });
    const problem = problemCard(page, 'stream_quota_exceeded');
    await expect(
      problem.getByText('What to do (action "contact-account-team" is new to this dashboard):'),
    ).toBeVisible();
    await expect(problem.getByText(/This dashboard does not know this action yet\./)).toBeVisible();
    await expect(
      problem.getByText("This code is not in the dashboard's catalogue yet", { exact: false }),
    ).toBeVisible();
    const card = shardCard(page, 0);
    await expect(card.getByText('waiting', { exact: true })).toBeVisible();
    await card.getByText('What to do').click();
    await expect(card.getByText(/This dashboard does not know this action yet\./)).toBeVisible();
  });

  test('bad-records: malformed records counted and reported, streaming goes on', async ({ page, mock }) => {
    await mock.open({ scenario: 'bad-records' });
    const details = page.getByRole('region', { name: 'Connection details' });
    await expect(details.getByText(/[\d,]+ distinct · 0 duplicates · [1-9][\d,]* malformed/)).toBeVisible();
    // One active report carries the running count; the earlier ones are resolved by it.
    const problem = problemCard(page, 'malformed_record');
    await expect(problem.getByText('once', { exact: true })).toBeVisible();
    await expect(problem.getByText(/malformed so far/)).toBeVisible();
    await expect(resolvedProblem(page, 'malformed_record').getByText(/\d+ times, resolved/)).toBeVisible();
    await expect(problem.getByText(/Nothing to do right now/)).toBeVisible();
    await expect(shardCard(page, 0).getByText('streaming', { exact: true })).toBeVisible();
  });
});

test.describe('handler overrides', () => {
  test("a relay that knows the new action: its catalogue's guidance replaces the generic words", async ({
    page,
    mock,
  }) => {
    await mock.open({
      scenario: 'unknown-action',
      overrides: [
        {
          path: '/api/catalog',
          json: {
            codes: [],
            actions: [
              {
                action: 'contact-account-team',
                description: 'The account team must act.',
                guidance: 'Call the Adobe account team: the stream quota must be raised.',
              },
            ],
          },
        },
      ],
    });
    const problem = problemCard(page, 'stream_quota_exceeded');
    await expect(problem.getByText('Call the Adobe account team: the stream quota must be raised.')).toBeVisible();
    await expect(problem.getByText(/is new to this dashboard/)).toHaveCount(0);
  });

  test('a hit opens with its exact 64-bit ids; once the relay forgets it, the drawer says so', async ({
    page,
    mock,
  }) => {
    await mock.open({ scenario: 'healthy' });
    const rows = page.getByRole('grid', { name: 'Live hits, newest first' }).getByRole('row');
    // The header row and at least two hits before the feed is paused: the test opens two of them.
    await expect.poll(() => rows.count()).toBeGreaterThan(2);
    await page.getByRole('button', { name: 'Pause feed and charts' }).click();
    await rows.nth(1).click();
    const drawer = page.getByRole('dialog');
    await expect(drawer.getByLabel('Full record as JSON')).toContainText(/"hitIdHigh": \d{17,20}/);
    await page.keyboard.press('Escape');
    await expect(drawer).toHaveCount(0);

    await mock.override({
      path: '/api/hits/:hitId',
      status: 404,
      json: {
        error: {
          status: 404,
          code: 'hit_not_found',
          message: 'This hit is not in memory: it is older than what the relay keeps, or never arrived.',
          trace: 'e2e-trace',
          action: 'none',
          at: 0,
          source: 'relay',
          id: 'e2e',
        },
      },
    });
    await rows.nth(2).click();
    await expect(page.getByRole('dialog').getByTestId('hit-gone')).toBeVisible();
  });
});
