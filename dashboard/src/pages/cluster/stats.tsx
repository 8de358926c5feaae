import type { ComponentChildren } from 'preact'
import type { Breakdown } from '../../types'

export function Stat({ label, value }: { label: string; value: ComponentChildren }) {
  return (
    <div class="card stat">
      <div class="label">{label}</div>
      <div class="value">{value}</div>
    </div>
  )
}

export function BreakdownBlock({ title, items }: { title: string; items: Breakdown[] }) {
  const total = items.reduce((a, b) => a + b.count, 0) || 1
  return (
    <div class="breakdown">
      <h3>{title}</h3>
      {items.length === 0 ? (
        <p class="faint" style={{ fontSize: '12.5px' }}>
          Not reported
        </p>
      ) : null}
      {items.map((b) => (
        <div class="bar-row">
          <span class="bar-label" title={b.value ?? 'unknown'}>
            <span class="bar-fill" style={{ width: `${(b.count / total) * 100}%` }} />
            {b.value ?? <span class="faint">unknown</span>}
          </span>
          <span class="bar-count">{Math.round((b.count / total) * 100)}%</span>
        </div>
      ))}
    </div>
  )
}
