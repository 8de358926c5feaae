// Full-text search over report messages (FTS5 trigram index from migration 0005_reports_fts).
import { inArray, sql } from 'drizzle-orm'
import type { Reader } from '../../db/client.js'
import { reports } from '../../db/schema/index.js'
import type { Report } from './clusters.js'

/**
 * Turns what a responder typed into an FTS5 query: every term must appear (as a substring), terms
 * are quoted so FTS syntax in the input is just text. Terms shorter than 3 characters cannot use a
 * trigram index; they are dropped unless nothing else is left (then LIKE is used, see below).
 */
export function ftsQuery(input: string): { match?: string; like?: string } {
  // Control characters (NUL above all) are never part of what people search for, and FTS5 rejects them.
  const clean = input.replace(/[\u0000-\u001f\u007f]/g, ' ')
  const terms = clean.trim().split(/\s+/).filter(Boolean).slice(0, 8)
  const long = terms.filter((t) => [...t].length >= 3)
  if (long.length) return { match: long.map((t) => `"${t.replace(/"/g, '""')}"`).join(' ') }
  const short = clean.trim()
  return short ? { like: `%${short.replace(/[\\%_]/g, (c) => `\\${c}`)}%` } : {}
}

/**
 * Clusters (of these projects) holding reports that match, from the newest 5,000 matches (FTS5
 * walks rowids newest first). The ids come back as one JSON value: fewer SQLite → JS crossings.
 */
export async function searchReportClusterIds(
  db: Reader,
  projectIds: string[],
  q: string,
  limit = 500,
): Promise<string[]> {
  const { match, like } = ftsQuery(q)
  if (!projectIds.length || (!match && !like)) return []
  const matches = match
    ? sql`SELECT r.cluster_id FROM reports_fts f JOIN reports r ON r.rowid = f.rowid
          WHERE reports_fts MATCH ${match} AND r.project_id IN ${projectIds} AND r.cluster_id IS NOT NULL
          ORDER BY f.rowid DESC LIMIT 5000`
    : sql`SELECT cluster_id FROM reports WHERE project_id IN ${projectIds} AND cluster_id IS NOT NULL
          AND message LIKE ${like} ESCAPE '\\' ORDER BY id DESC LIMIT 5000`
  const row = await db.get<{ ids: string | null }>(
    sql`SELECT json_group_array(DISTINCT cluster_id) AS ids FROM (${matches})`,
  )
  return (JSON.parse(row?.ids ?? '[]') as string[]).slice(0, limit)
}

/** Matching reports themselves, newest first. */
export async function searchReports(db: Reader, projectIds: string[], q: string, limit = 50): Promise<Report[]> {
  const { match, like } = ftsQuery(q)
  if (!projectIds.length || (!match && !like)) return []
  const rows = match
    ? await db.all<{ id: string }>(sql`
        SELECT r.id FROM reports_fts f JOIN reports r ON r.rowid = f.rowid
        WHERE reports_fts MATCH ${match} AND r.project_id IN ${projectIds}
        ORDER BY f.rowid DESC LIMIT ${limit}`)
    : await db.all<{ id: string }>(
        sql`SELECT id FROM reports WHERE project_id IN ${projectIds} AND message LIKE ${like} ESCAPE '\\'
          ORDER BY id DESC LIMIT ${limit}`,
      )
  if (!rows.length) return []
  const list = await db
    .select()
    .from(reports)
    .where(
      inArray(
        reports.id,
        rows.map((r) => r.id),
      ),
    )
    .all()
  return list.sort((a, b) => (a.id < b.id ? 1 : -1))
}
