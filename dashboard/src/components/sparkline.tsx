/** 24-hour report sparkline as inline SVG (no chart library: a polyline is all it takes). */
export function Sparkline({
  values,
  hot,
  width = 96,
  height = 28,
  label,
}: {
  values: number[]
  hot?: boolean
  width?: number
  height?: number
  label?: string
}) {
  if (!values.length) return <svg width={width} height={height} aria-hidden="true" />
  const max = Math.max(1, ...values)
  const step = width / Math.max(1, values.length - 1)
  const y = (v: number) => height - 2 - (v / max) * (height - 4)
  const points = values.map((v, i) => `${(i * step).toFixed(1)},${y(v).toFixed(1)}`).join(' ')
  const total = values.reduce((a, b) => a + b, 0)
  return (
    <svg
      class={`spark ${hot ? 'hot' : ''}`}
      width={width}
      height={height}
      viewBox={`0 0 ${width} ${height}`}
      role="img"
      aria-label={label ?? `${total} reports in the last 24 hours`}
    >
      <polygon points={`0,${height} ${points} ${width},${height}`} fill="currentColor" opacity="0.12" />
      <polyline
        points={points}
        fill="none"
        stroke="currentColor"
        stroke-width="1.5"
        stroke-linejoin="round"
        stroke-linecap="round"
      />
    </svg>
  )
}
