import { describe, expect, it } from 'vitest'
import { runCrashTest } from '../../scripts/crash-lib.js'

// The small version of `npm run crash`: the real Node entry in a child process, kill -9 twice
// under load (the report pipeline
// runs in it, so kills land at random points of its batches), restarted on the same libSQL file each time.
describe('crash safety', () => {
  it('stores every acknowledged report exactly once across kill -9 restarts', async () => {
    const r = await runCrashTest({ kills: 2, clients: 8, minUpMs: 400, maxUpMs: 1200 })
    expect(r.acknowledgedKeys).toBeGreaterThan(0)
    expect(r.missing).toEqual([])
    expect(r.duplicates).toBe(0)
    expect(r.idMismatches).toEqual([])
    expect(r.clusterCountMismatch).toBeNull()
    // The pipeline, killed mid-batch too, clustered every stored report exactly once after the restarts.
    expect(r.pipelineProblems).toEqual([])
    expect(r.clustered).toBe(r.stored)
    expect(r.integrity).toBe('ok')
    // Everything a client was ever told about is stored; nothing is stored that no client sent.
    expect(r.stored).toBe(r.acknowledgedKeys)
  }, 90_000)
})
