// Multi-row statements for batch writes (the report pipeline writes a whole batch's state at once).
import type { InStatement, InValue } from '@libsql/client'

/** Rows per statement: big enough that a batch of 256 reports needs few statements. */
export const ROWS_PER_STATEMENT = 32

/**
 * Statements writing `rows` through a `(VALUES …)` list bound as parameters, `perStatement` rows
 * each. `template` holds `$VALUES` where the list goes; read its columns as column1, column2, …
 * and keep `WHERE column1 IS NOT NULL`: the last chunk is padded with NULL rows so that every
 * chunk has the same text (prepared once), and values are bound exactly (a REAL passed through
 * JSON text can come back one ulp off).
 */
export function multiRow(
  template: string,
  rows: readonly (readonly InValue[])[],
  width: number,
  perStatement = ROWS_PER_STATEMENT,
): InStatement[] {
  if (!rows.length) return []
  const row = `(${new Array(width).fill('?').join(', ')})`
  const text = template.replace('$VALUES', `(VALUES ${new Array(perStatement).fill(row).join(', ')})`)
  const out: InStatement[] = []
  for (let i = 0; i < rows.length; i += perStatement) {
    const args: InValue[] = []
    for (let j = i; j < i + perStatement; j++) {
      const r = rows[j]
      if (r) {
        if (r.length !== width) throw new Error(`multiRow: a row of ${r.length} values for ${width} columns`)
        for (const v of r) args.push(v)
      } else for (let k = 0; k < width; k++) args.push(null)
    }
    out.push({ sql: text, args })
  }
  return out
}

/**
 * The rows in the order of the columns at `key` (a stable sort: rows with equal keys keep their
 * order). Upserts of many scattered keys into a large index run ~1.5× faster in key order:
 * consecutive rows land on the same or neighbouring B-tree pages. For locality only — JS string
 * order is not exactly SQLite's byte order beyond the BMP, and nothing depends on it.
 */
export function inKeyOrder<T extends readonly InValue[]>(rows: T[], first: number, second?: number): T[] {
  const cmp = (x: InValue | undefined, y: InValue | undefined) => (x === y ? 0 : x! < y! ? -1 : 1)
  if (second === undefined) return rows.sort((a, b) => cmp(a[first], b[first]))
  return rows.sort((a, b) => cmp(a[first], b[first]) || cmp(a[second], b[second]))
}
