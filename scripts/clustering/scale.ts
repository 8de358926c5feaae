// The report pipeline on a large stored state: seeds N reports in N/10 clusters straight into the
// engine's tables (batch inserts, centroids computed with the engine's own feature code), then
// sends new reports through the normal intake and times the pipeline clustering them: per report
// at batch size 1 (assignment latency), and reports per second at batch sizes 64 and 256.
import type { Client } from '@libsql/client'
import { cpSync, mkdtempSync, rmSync, statSync } from 'node:fs'
import { loadavg, tmpdir } from 'node:os'
import { join } from 'node:path'
import { reportBag, weigh, isIndexed } from '../../worker/domain/clustering/features.js'
import { DEFAULT_OPTIONS } from '../../worker/domain/clustering/engine.js'
import { DOCS_KEY } from '../../worker/domain/clustering/state.js'
import { encodeVec, norm, prune, toJson, type Vec } from '../../worker/domain/clustering/vectors.js'
import { newId } from '../../worker/domain/shared/ids.js'
import { submitReport } from '../../worker/domain/reports/submit.js'
import { openHarness } from './replay.js'
import { rng } from '../lib/rng.js'

const SYLLABLES =
  'ba be bi bo bu da de di do du ka ke ki ko ku la le li lo lu ma me mi mo mu na ne ni no nu pa pe pi po pu ra re ri ro ru sa se si so su ta te ti to tu va ve vi vo vu za ze zi zo zu'.split(
    ' ',
  )
function word(i: number): string {
  let w = ''
  let n = i + 1
  while (n > 0) {
    w += SYLLABLES[n % SYLLABLES.length]
    n = Math.floor(n / SYLLABLES.length)
  }
  return w + 'x'
}

/** Synthetic complaint: a few words of its topic, a few common words (Zipf-like), sometimes a number. */
function message(topic: number, r: () => number, vocab: number): string {
  const words: string[] = []
  const k = 2 + Math.floor(r() * 3)
  for (let i = 0; i < k; i++) words.push(word(vocab + topic * 6 + Math.floor(r() * 6)))
  const c = 2 + Math.floor(r() * 4)
  for (let i = 0; i < c; i++) words.push(word(Math.floor(vocab * r() ** 3)))
  if (r() < 0.3) words.push(String(Math.floor(r() * 10000)))
  for (let i = words.length - 1; i > 0; i--) {
    const j = Math.floor(r() * (i + 1))
    ;[words[i], words[j]] = [words[j]!, words[i]!]
  }
  return words.join(' ')
}

const pct = (xs: number[], p: number) =>
  [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor((p / 100) * xs.length))] ?? 0

export async function runScale(sizes = [100_000, 1_000_000], batches = [1, 64, 256]): Promise<void> {
  console.log(
    '| stored reports | clusters | seed time | db size | batch | reports | per report: compute p50 / p99 | per report: + write & commit p99 | reports/s (wall) | reports/s per CPU core | load avg |',
  )
  console.log('|---|---|---|---|---:|---:|---|---|---:|---:|---|')
  for (const total of sizes) await one(total, batches)
}

async function one(total: number, batches: number[]): Promise<void> {
  const clusters = Math.round(total / 10)
  const vocab = 5000
  const dir = mkdtempSync(join(tmpdir(), 'earshot-scale-'))
  const dbPath = join(dir, 'scale.db')
  const h = await openHarness(dbPath)
  const started = performance.now()
  const projectId = h.project.id
  const client = h.db.client
  const t0 = h.clock.now() - 30 * 86400_000

  // Seeding runs in its own function so its large working sets (df, 10k–100k centroid Maps) are
  // garbage before the measurement: a server holds none of them, and a bigger heap slows GC.
  await seed(client, projectId, total, clusters, vocab, t0)
  const seedSeconds = (performance.now() - started) / 1000
  const size = statSync(dbPath).size

  const rm = rng(7)
  let seq = 0
  const submitOne = async () => {
    h.clock.advance(1000)
    const i = seq++
    const topic = i % 10 === 0 ? clusters + i : Math.floor(rm() * clusters) // 10% brand-new problems
    await submitReport(
      h.deps,
      h.project,
      { message: message(topic, rm, vocab), reporter_id: `u${i}` },
      { idempotencyKey: `scale-${i}` },
    )
  }
  // Warm-up (not measured): the JIT, the page cache and the engine's memory of the hot clusters.
  for (let i = 0; i < 200; i++) await submitOne()
  await h.deps.pipeline.drain()

  for (const batch of batches) {
    ;(h.deps.pipeline.options as { batchSize: number }).batchSize = batch
    const n = batch === 1 ? 2000 : Math.max(20 * batch, 2000)
    const compute: number[] = []
    const total_: number[] = []
    let wall = 0
    let cpu = 0
    if (batch === 1) {
      // One report at a time, as it arrives: the latency of clustering each one.
      for (let i = 0; i < n; i++) {
        await submitOne()
        const t = performance.now()
        const c = process.cpuUsage()
        const out = await h.deps.pipeline.runBatch()
        const used = process.cpuUsage(c)
        wall += performance.now() - t
        cpu += (used.user + used.system) / 1000
        compute.push(out.computeMs)
        total_.push(out.computeMs + out.writeMs)
      }
    } else {
      // A backlog of n reports, drained in batches: throughput.
      for (let i = 0; i < n; i++) await submitOne()
      const off = h.deps.pipeline.onBatch((out) => {
        compute.push(out.computeMs / out.processed.length)
        total_.push((out.computeMs + out.writeMs) / out.processed.length)
      })
      const t = performance.now()
      const c = process.cpuUsage()
      await h.deps.pipeline.drain()
      const used = process.cpuUsage(c)
      wall = performance.now() - t
      cpu = (used.user + used.system) / 1000
      off()
    }
    console.log(
      `| ${total.toLocaleString('en')} | ${clusters.toLocaleString('en')} | ${seedSeconds.toFixed(0)} s | ${(size / 1e6).toFixed(0)} MB | ${batch} | ${n.toLocaleString('en')} | ` +
        `${pct(compute, 50).toFixed(2)} / ${pct(compute, 99).toFixed(2)} ms | ${pct(total_, 99).toFixed(2)} ms | ` +
        `${Math.round((n / wall) * 1000).toLocaleString('en')} | ${Math.round((n / cpu) * 1000).toLocaleString('en')} | ${loadavg()[0]!.toFixed(1)} |`,
    )
  }
  h.close()
  // SCALE_KEEP_DB=DIR keeps a copy of the seeded-and-measured database for profiling.
  if (process.env.SCALE_KEEP_DB) cpSync(dbPath, join(process.env.SCALE_KEEP_DB, `scale-${total}.db`))
  rmSync(dir, { recursive: true, force: true })
}

async function seed(
  client: Client,
  projectId: string,
  total: number,
  clusters: number,
  vocab: number,
  t0: number,
): Promise<void> {
  // Pass 1: document frequencies over every seeded report.
  const df = new Map<string, number>()
  let r = rng(1)
  for (let i = 0; i < total; i++) {
    const bag = reportBag({ message: message(i % clusters, r, vocab) })
    for (const f of bag.keys()) df.set(f, (df.get(f) ?? 0) + 1)
  }
  // Pass 2: the same reports again (same seed): rows, features, centroids.
  r = rng(1)
  const sums: Vec[] = Array.from({ length: clusters }, () => new Map())
  const sizes = new Uint32Array(clusters)
  const clusterIds = Array.from({ length: clusters }, (_, c) => newId('clu', t0 + c))
  const BATCH = 500
  let reportRows: [string, string, string, number, string][] = []
  const flush = async () => {
    if (!reportRows.length) return
    const rows = reportRows
    reportRows = []
    const ph = rows.map(() => '(?, ?, ?, ?, ?, ?, ?, ?)').join(', ')
    const fph = rows.map(() => '(?, ?, ?, ?, ?)').join(', ')
    await client.batch(
      [
        {
          // Already clustered: processed_at is set, so the pipeline leaves them alone.
          sql: `INSERT INTO reports (id, project_id, idempotency_key, message, cluster_id, created_at, source, processed_at) VALUES ${ph}`,
          args: rows.flatMap(([id, msg, cid, at]) => [id, projectId, id, msg, cid, at, 'api', at]),
        },
        {
          sql: `INSERT INTO report_features (report_id, project_id, cluster_id, bag, created_at) VALUES ${fph}`,
          args: rows.flatMap(([id, , cid, at, bag]) => [id, projectId, cid, bag, at]),
        },
      ],
      'write',
    )
  }
  for (let i = 0; i < total; i++) {
    const c = i % clusters
    const msg = message(c, r, vocab)
    const bag = reportBag({ message: msg })
    const unit = weigh(bag, total, (f) => df.get(f) ?? 1, DEFAULT_OPTIONS.weights)
    const sum = sums[c]!
    for (const [k, v] of unit) sum.set(k, (sum.get(k) ?? 0) + v)
    if (sum.size > 400) prune(sum)
    sizes[c]!++
    const at = t0 + Math.floor((i / total) * 30 * 86400_000)
    reportRows.push([newId('rep', at), msg, clusterIds[c]!, at, toJson(bag)])
    if (reportRows.length >= BATCH) await flush()
  }
  await flush()
  // Clusters, centroids and postings.
  for (let c0 = 0; c0 < clusters; c0 += BATCH) {
    const stmts = []
    const ids = clusterIds.slice(c0, c0 + BATCH)
    stmts.push({
      sql: `INSERT INTO clusters (id, project_id, title, report_count, reporter_count, first_seen_at, last_seen_at, created_at) VALUES ${ids.map(() => '(?, ?, ?, ?, 0, ?, ?, ?)').join(', ')}`,
      args: ids.flatMap((id, j) => [id, projectId, `cluster ${c0 + j}`, sizes[c0 + j]!, t0, t0 + 30 * 86400_000, t0]),
    })
    const vecArgs: (string | number)[] = []
    const postArgs: (string | number)[] = []
    let posts = 0
    ids.forEach((id, j) => {
      const sum = sums[c0 + j]!
      prune(sum)
      const n = norm(sum)
      vecArgs.push(id, projectId, sizes[c0 + j]!, encodeVec(sum), n, t0)
      for (const [f, w] of sum)
        if (isIndexed(f)) {
          postArgs.push(projectId, f, id, w / n)
          posts++
        }
    })
    stmts.push({
      sql: `INSERT INTO cluster_vectors (cluster_id, project_id, size, vector, norm, updated_at) VALUES ${ids.map(() => '(?, ?, ?, ?, ?, ?)').join(', ')}`,
      args: vecArgs,
    })
    for (let p = 0; p < posts; p += 2000) {
      const n = Math.min(2000, posts - p)
      stmts.push({
        sql: `INSERT INTO cluster_postings (project_id, feature, cluster_id, weight) VALUES ${Array.from({ length: n }, () => '(?, ?, ?, ?)').join(', ')}`,
        args: postArgs.slice(p * 4, (p + n) * 4),
      })
    }
    await client.batch(stmts, 'write')
  }
  const dfRows = [[DOCS_KEY, total] as [string, number], ...df.entries()]
  for (let i = 0; i < dfRows.length; i += 2000) {
    const chunk = dfRows.slice(i, i + 2000)
    await client.execute({
      sql: `INSERT INTO clustering_df (project_id, feature, df) VALUES ${chunk.map(() => '(?, ?, ?)').join(', ')}`,
      args: chunk.flatMap(([f, n]) => [projectId, f, n]),
    })
  }
  await client.execute('ANALYZE')
}
