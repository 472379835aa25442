import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { ALERT_RULES } from '../../contract/index.ts';
import {
  DEFAULT_ALERT_RULES,
  LAG_CLEAR_MS,
  TRAFFIC_CLEAR_FACTOR,
  TRAFFIC_MIN_BASELINE_PER_S,
} from '../../core/alerts/rules.ts';
import { AMTOOL, PROMTOOL, ensureDebianTool } from '../../../scripts/ensure-debian-tool.ts';

/**
 * deploy/prometheus: the Prometheus rules that say over `/metrics` what the relay's own alert
 * rules say (src/core/alerts/rules.ts), and the example Alertmanager configuration. Debian's
 * `promtool` and `amtool` check them (installed by scripts/ensure-debian-tool.ts when missing);
 * `promtool test rules` runs alerts.test.yml, where each rule fires, resolves and stays quiet
 * where the relay's would. Without the tools, these tests are skipped with one line saying why.
 */

const DIR = fileURLToPath(new URL('../../../deploy/prometheus/', import.meta.url));
const run = promisify(execFile);

const promtool = ensureDebianTool(PROMTOOL);
if (!promtool.path) console.warn(`skipping the promtool checks of deploy/prometheus/alerts.yml: ${promtool.reason}`);
const amtool = ensureDebianTool(AMTOOL);
if (!amtool.path) console.warn(`skipping the amtool checks of alertmanager.example.yml: ${amtool.reason}`);

/** Runs a tool in deploy/prometheus; its output, or a failure that shows it. */
async function tool(binary: string, args: string[]): Promise<string> {
  try {
    const { stdout, stderr } = await run(binary, args, { cwd: DIR, timeout: 45_000 });
    return stderr ? `${stdout}\n${stderr}` : stdout;
  } catch (error) {
    const { stdout = '', stderr = '' } = error as { stdout?: string; stderr?: string };
    throw new Error(`${binary} ${args.join(' ')} failed:\n${stdout}${stderr}`, { cause: error });
  }
}

describe.skipIf(!promtool.path)('deploy/prometheus/alerts.yml', () => {
  it('is valid (promtool check rules)', async () => {
    expect(await tool(promtool.path!, ['check', 'rules', 'alerts.yml'])).toMatch(/SUCCESS: \d+ rules found/);
  });

  it('passes its unit tests: each rule fires, resolves, and stays quiet where it must (promtool test rules)', async () => {
    expect(await tool(promtool.path!, ['test', 'rules', 'alerts.test.yml'])).toContain('SUCCESS');
  }, 60_000);
});

describe("deploy/prometheus/alerts.yml and the relay's rules", () => {
  const text = readFileSync(`${DIR}alerts.yml`, 'utf8');
  /** Each alert's block of text, by alertname. */
  const alerts = new Map(
    text
      .split(/^ {6}- alert: /m)
      .slice(1)
      .map((block) => [block.slice(0, block.indexOf('\n')).trim(), block] as const),
  );
  const severity: Record<string, string> = {
    stream_down: 'critical',
    shard_failed: 'critical',
    lag_high: 'warning',
    traffic_drop: 'warning',
  };
  const minutes = (s: number) => `${s / 60}m`;

  it('has every rule of the relay, named as the relay names it, with its severity', () => {
    for (const rule of ALERT_RULES) {
      const block = alerts.get(rule);
      expect(block, `alert ${rule}`).toBeDefined();
      expect(block).toContain(`rule: ${rule}\n`);
      expect(block).toContain(`severity: ${severity[rule]}\n`);
      expect(block).toContain(`runbook_url: docs/alerts.md#${rule}\n`);
    }
  });

  it("uses the relay's default settings (change both together)", () => {
    const d = DEFAULT_ALERT_RULES;
    expect(alerts.get('stream_down')).toContain(`for: ${minutes(d.downAfterS)}\n`);
    expect(alerts.get('lag_high')).toContain(`livestream_lag_p95_seconds > ${d.lagP95S}\n`);
    expect(alerts.get('lag_high')).toContain(`for: ${minutes(d.lagForS)}\n`);
    expect(alerts.get('lag_high')).toContain(`keep_firing_for: ${minutes(LAG_CLEAR_MS / 1000)}\n`);
    expect(alerts.get('traffic_drop')).toContain(`livestream:hits:ratio_to_baseline5m < ${d.trafficDropRatio}\n`);
    // Resolved at TRAFFIC_CLEAR_FACTOR × the threshold, as rules.ts does.
    expect(alerts.get('traffic_drop')).toContain(
      `livestream:hits:ratio_to_baseline5m < ${Math.round(d.trafficDropRatio * TRAFFIC_CLEAR_FACTOR * 100) / 100}\n`,
    );
    expect(text).toContain(`rate(livestream_hits_total[${minutes(d.trafficWindowS)}])`);
    expect(text).toContain(`(livestream:hits:baseline_rate5m >= ${TRAFFIC_MIN_BASELINE_PER_S})`);
  });
});

describe.skipIf(!amtool.path)('deploy/prometheus/alertmanager.example.yml', () => {
  it('is valid (amtool check-config)', async () => {
    expect(await tool(amtool.path!, ['check-config', 'alertmanager.example.yml'])).toContain('SUCCESS');
  });

  it('routes by severity (amtool config routes test)', async () => {
    const route = async (...labels: string[]) =>
      (await tool(amtool.path!, ['config', 'routes', 'test', '--config.file=alertmanager.example.yml', ...labels]))
        .split('\n')[0]!
        .trim();
    expect(await route('alertname=stream_down', 'severity=critical', 'stream=x')).toBe('oncall-webhook');
    expect(await route('alertname=shard_failed', 'severity=critical', 'shard=0')).toBe('oncall-webhook');
    expect(await route('alertname=traffic_drop', 'severity=warning')).toBe('team-webhook');
    expect(await route('alertname=lag_high', 'severity=warning')).toBe('team-webhook');
  });
});
