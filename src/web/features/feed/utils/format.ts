/** Text for the feed's cells (shared number and time formats are in lib/format.ts). */

/** "Paris, FR" from whichever of city and country the hit has. */
export function formatPlace(city: string | undefined, country: string | undefined): string {
  return [city, country].filter(Boolean).join(', ');
}

/** "Chrome / Windows" from whichever of browser and OS the hit has. */
export function formatAgent(browser: string | undefined, os: string | undefined): string {
  return [browser, os].filter(Boolean).join(' / ');
}
