import type { ClusterPage } from '../types'

/** Report rate over time as bars, with dashed markers where deploys happened. */
export function RateTimeline({ timeline }: { timeline: NonNullable<ClusterPage['timeline']> }) {
  const W = 720
  const H = 140
  const pad = { l: 28, r: 8, t: 18, b: 20 }
  const counts = timeline.counts
  const n = Math.max(1, counts.length)
  const max = Math.max(1, ...counts)
  const from = new Date(timeline.from).getTime()
  const bucketMs = timeline.bucket_minutes * 60_000
  const span = n * bucketMs
  const x = (t: number) => pad.l + ((t - from) / span) * (W - pad.l - pad.r)
  const bw = (W - pad.l - pad.r) / n
  const y = (v: number) => H - pad.b - (v / max) * (H - pad.t - pad.b)
  const fmt = (t: number) =>
    new Date(t).toLocaleString(
      undefined,
      timeline.bucket_minutes >= 1440 ? { month: 'short', day: 'numeric' } : { weekday: 'short', hour: 'numeric' },
    )
  const ticks = [0, Math.floor(n / 2), n - 1].filter((v, i, a) => a.indexOf(v) === i)
  const total = counts.reduce((a, b) => a + b, 0)
  return (
    <figure class="timeline" style={{ margin: 0 }}>
      <svg
        viewBox={`0 0 ${W} ${H}`}
        role="img"
        aria-label={`${total} reports over time, ${timeline.deploys.length} deploys marked`}
      >
        <text class="axis" x={pad.l - 6} y={pad.t + 4} text-anchor="end">
          {max}
        </text>
        <text class="axis" x={pad.l - 6} y={H - pad.b} text-anchor="end">
          0
        </text>
        <line x1={pad.l} x2={W - pad.r} y1={H - pad.b} y2={H - pad.b} stroke="var(--border)" />
        {counts.map((v, i) =>
          v > 0 ? (
            <rect
              class="bar"
              x={pad.l + i * bw + 1}
              width={Math.max(1, bw - 2)}
              y={y(v)}
              height={H - pad.b - y(v)}
              rx="1.5"
            >
              <title>{`${v} report${v === 1 ? '' : 's'} · ${fmt(from + i * bucketMs)}`}</title>
            </rect>
          ) : null,
        )}
        {ticks.map((i) => (
          <text
            class="axis"
            x={i === n - 1 ? W - pad.r : pad.l + i * bw + bw / 2}
            y={H - 5}
            text-anchor={i === 0 ? 'start' : i === n - 1 ? 'end' : 'middle'}
          >
            {fmt(from + i * bucketMs)}
          </text>
        ))}
        {timeline.deploys.map((d) => {
          const t = new Date(d.deployed_at).getTime()
          if (t < from || t > from + span) return null
          const dx = x(t)
          return (
            <g>
              <line class="deploy" x1={dx} x2={dx} y1={pad.t - 6} y2={H - pad.b} />
              {/* In the right half the label reads leftwards from its marker: it never runs off the edge. */}
              <text
                class="deploy-label"
                x={dx > W / 2 ? dx - 4 : dx + 4}
                y={pad.t - 8}
                text-anchor={dx > W / 2 ? 'end' : 'start'}
              >
                {`▲ ${deployLabel(d.release)}`}
              </text>
              <title>{`Deploy ${d.release ?? ''} at ${new Date(t).toLocaleString()}`}</title>
            </g>
          )
        })}
      </svg>
    </figure>
  )
}

/** Long release names (git SHAs, semver with build metadata) are cut: the full one is in the tooltip. */
function deployLabel(release: string | null | undefined): string {
  const r = release ?? 'deploy'
  return r.length > 28 ? `${r.slice(0, 27)}…` : r
}
