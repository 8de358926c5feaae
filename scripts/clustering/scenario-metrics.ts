// Scores a clustering of the after-deploy scenario set (test/fixtures/scenarios/after-deploy.ts):
// clusters vs problems, purity, and in how many problems the Chinese reports sit with the English ones.
export interface ScenarioScore {
  problems: number
  clusters: number
  /** share of reports whose cluster's majority problem is their own */
  purity: number
  /** problems where most of the Chinese reports are in the cluster holding most of the English ones */
  zhWithEn: number
  /** problems where every Chinese report is in that cluster */
  zhAllWithEn: number
  /** per problem: how many clusters its reports are spread over */
  spread: Record<string, number>
}

export function scoreScenario(
  rows: readonly { label: string; lang: string }[],
  clusters: readonly string[],
): ScenarioScore {
  const byCluster = new Map<string, Map<string, number>>()
  rows.forEach((row, i) => {
    const c = clusters[i]!
    let m = byCluster.get(c)
    if (!m) byCluster.set(c, (m = new Map()))
    m.set(row.label, (m.get(row.label) ?? 0) + 1)
  })
  let pure = 0
  for (const m of byCluster.values()) pure += Math.max(...m.values())
  const labels = [...new Set(rows.map((r) => r.label))]
  let zhWithEn = 0
  let zhAllWithEn = 0
  const spread: Record<string, number> = {}
  for (const label of labels) {
    const idx = rows.map((r, i) => (r.label === label ? i : -1)).filter((i) => i >= 0)
    spread[label] = new Set(idx.map((i) => clusters[i])).size
    const en = new Map<string, number>()
    for (const i of idx) if (rows[i]!.lang === 'en') en.set(clusters[i]!, (en.get(clusters[i]!) ?? 0) + 1)
    const main = [...en.entries()].sort((a, b) => b[1] - a[1])[0]?.[0]
    const zh = idx.filter((i) => rows[i]!.lang === 'zh')
    const inMain = zh.filter((i) => clusters[i] === main).length
    if (zh.length && inMain * 2 > zh.length) zhWithEn++
    if (zh.length && inMain === zh.length) zhAllWithEn++
  }
  return {
    problems: labels.length,
    clusters: byCluster.size,
    purity: pure / rows.length,
    zhWithEn,
    zhAllWithEn,
    spread,
  }
}
