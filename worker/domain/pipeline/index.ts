// The report pipeline: intake stores a report and nothing else; this clusters, counts and
// surge-checks stored reports in batches, exactly once each (see batch.ts and runner.ts).
export { Pipeline, DEFAULT_PIPELINE, yieldToIo, type PipelineOptions } from './runner.js'
export { runBatch, StaleBatch, LeaseHeld, type BatchOutcome, type BatchStep, type Processed } from './batch.js'
export { countPending, oldestPendingAt, readPending, waitingReports } from './pending.js'
export { currentLease, releaseLease } from './lease.js'
