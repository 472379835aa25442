/**
 * The simulator's isomorphic half: a seeded generator of realistic Livestream records, the
 * traffic rhythm and the shard a record belongs to. No Node or DOM APIs: the MSW mocks reuse it.
 */
export * from './hit-generator.ts';
export * from './random.ts';
export * from './traffic-rate.ts';
export * from './visitor-slot.ts';
export { SITE_ORIGIN } from './site-catalog.ts';
