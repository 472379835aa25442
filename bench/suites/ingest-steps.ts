/** Shared by the ingest suite and its worker (which runs as a script: not imported for values). */

/** The hot path's steps in order, as `Ingest` runs them (the Node host's byte operations). */
export const STEPS = [
  ['utf8', 'the line decoded (UTF-8 → string)'],
  ['parse', '`parseHitLine` (`JSON.parse`, exact hit ids)'],
  ['hitId', 'the hit id (`hitIdOf`, flattened)'],
  ['dedup', 'de-duplication (`Dedup`, 200,000 ids a generation)'],
  ['store', 'the hit store (the line copied into the 20,000-hit ring)'],
  ['summary', 'the summary (`summariseRecord`)'],
  ['stats', 'redaction of the summary + stats over every hit (`StatsCollector.hit`)'],
  ['feed', 'the browser feed (`FeedBatcher.push`, a batch taken every 1,024 hits)'],
] as const;
export type StepName = (typeof STEPS)[number][0];
