/**
 * The contract every part imports: zod schemas and types for the wire shapes (docs/api.md), the
 * error catalogue with the Problem factory, event ids, and the record format. No behaviour of the
 * relay lives here (that is src/core), no Node or DOM imports.
 */
export * from './alert.ts';
export * from './catalog.ts';
export * from './events.ts';
export * from './history.ts';
export * from './hit-record.ts';
export * from './hit-summary.ts';
export * from './ids.ts';
export * from './parse.ts';
export * from './problem-factory.ts';
export * from './problem.ts';
export * from './shard.ts';
export * from './stats.ts';
export * from './status.ts';
