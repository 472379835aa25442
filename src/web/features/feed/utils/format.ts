/** Text for the feed's cells (shared number and time formats are in lib/format*.ts). */
import { formatCountry, formatCountryCode } from '../../../lib/format-country.ts';

/**
 * "Paris, FRA" from whichever of city and country the hit has: the country as its upper-case
 * code (`code`, the table's narrow column) or its name (`name`: "Paris, France").
 */
export function formatPlace(
  city: string | undefined,
  country: string | undefined,
  style: 'code' | 'name' = 'code',
): string {
  const place = country ? (style === 'name' ? formatCountry(country) : formatCountryCode(country)) : undefined;
  return [city, place].filter(Boolean).join(', ');
}

/** "Chrome / Windows" from whichever of browser and OS the hit has. */
export function formatAgent(browser: string | undefined, os: string | undefined): string {
  return [browser, os].filter(Boolean).join(' / ');
}
