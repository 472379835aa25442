/**
 * The contract every part imports: zod schemas and types for the shapes of CONTRACT.md, the
 * error catalogue, and the helpers that build Problems. No Node or DOM imports here.
 */
export * from './catalog.ts';
export * from './error-body.ts';
export * from './events.ts';
export * from './hit-record.ts';
export * from './hit-summary.ts';
export * from './ids.ts';
export * from './parse.ts';
export * from './problem-factory.ts';
export * from './problem.ts';
export * from './reconnect.ts';
export * from './shard.ts';
export * from './stats.ts';
export * from './status.ts';
