// Merges a responder can take back: the toast after a merge (with Undo) and the undo itself, for the
// cluster page and the topic-surge card alike.
import { api } from '../api'
import type { MergeResult } from '../types'
import { attempt, toast } from './ui'

export const reportsText = (n: number) => (n === 1 ? '1 report' : `${n} reports`)
export const clustersText = (n: number) => (n === 1 ? '1 cluster' : `${n} clusters`)

/** Takes a merge back; tells the responder what came back. */
export function undoMerge(groupId: string, after?: () => unknown) {
  return attempt(async () => {
    const res = await api.undoMerge(groupId)
    const reports = res.restored.reduce((n, c) => n + c.report_count, 0)
    toast(`Merge undone: ${clustersText(res.restored.length)} back, ${reportsText(reports)}`)
    await after?.()
  })
}

/** "Merged 3 reports · Undo" — the undo works for the merge's window (10 minutes), also from the cluster page. */
export function mergedToast(m: MergeResult, afterUndo?: () => unknown) {
  toast(
    `Merged ${reportsText(m.reports)}${m.merged.length > 1 ? ` from ${clustersText(m.merged.length)}` : ''}`,
    'ok',
    { label: 'Undo', run: () => undoMerge(m.group_id, afterUndo) },
  )
}
