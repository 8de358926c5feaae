import type { ComponentChildren } from 'preact'
import { attempt } from './ui'

/** What a row's button does: ask first (when `ask` is set), run, say `done`; then the list reloads. */
export interface RevokeAction {
  /** The button's text: 'Revoke' unless told. */
  label?: string
  /** A question for confirm() before anything happens; without it the button acts at once. */
  ask?: string
  run: () => Promise<unknown>
  /** The toast after it worked. */
  done: string
  /** A plain button instead of a red one. */
  plain?: boolean
}

/** One revoke/remove button: asks first when told, runs, toasts, then calls `onDone` (a reload). */
export function RevokeButton({ action, onDone }: { action: RevokeAction; onDone: () => unknown }) {
  return (
    <button
      class={action.plain ? 'small' : 'small danger'}
      onClick={async () => {
        if (action.ask && !confirm(action.ask)) return
        if (await attempt(action.run, action.done)) await onDone()
      }}
    >
      {action.label ?? 'Revoke'}
    </button>
  )
}

/**
 * A table of things a user can revoke or remove (API tokens, invitations, members, status page
 * tokens, subscribers, components, maintenance): each row's cells, then a right-aligned cell with
 * its button, or whatever `action` returns instead (a "revoked" pill, nothing). Without `action`
 * (a reader may not revoke) the rows have no such cell.
 */
export function RevokeTable<T>({
  rows,
  head,
  cells,
  action,
  onDone,
  empty,
  actionWidth,
}: {
  rows: readonly T[]
  /** The header cells, the action column's included; no header without it. */
  head?: ComponentChildren
  /** The row's cells before the action cell. */
  cells: (row: T) => ComponentChildren
  action?: (row: T) => RevokeAction | ComponentChildren
  /** After an action worked: reload the list. */
  onDone: () => unknown
  /** The one row's text when there are no rows (and the list is loaded). */
  empty?: ComponentChildren
  actionWidth?: string
}) {
  return (
    <table class="table">
      {head ? (
        <thead>
          <tr>{head}</tr>
        </thead>
      ) : null}
      <tbody>
        {rows.map((row) => {
          const a = action?.(row)
          return (
            <tr>
              {cells(row)}
              {action ? (
                <td style={{ width: actionWidth, textAlign: 'right' }}>
                  {isAction(a) ? <RevokeButton action={a} onDone={onDone} /> : a}
                </td>
              ) : null}
            </tr>
          )
        })}
        {empty && rows.length === 0 ? (
          <tr>
            <td class="faint">{empty}</td>
          </tr>
        ) : null}
      </tbody>
    </table>
  )
}

function isAction(a: unknown): a is RevokeAction {
  return typeof a === 'object' && a !== null && 'run' in a && 'done' in a
}
