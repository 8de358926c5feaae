// Who is signed in and which workspace they are looking at. A tiny store: the dashboard has one
// piece of global state, which does not need a state library.
import { useEffect, useState } from 'preact/hooks'
import { api } from './api'
import type { Me, Project, Role, Workspace } from './types'

export interface SessionState {
  status: 'loading' | 'signed-out' | 'signed-in'
  me?: Me
  workspaceId?: string
  /** Signed out because the server refused the session, not by choice. */
  expired?: boolean
}

let state: SessionState = { status: 'loading' }
const listeners = new Set<() => void>()
function set(next: Partial<SessionState>) {
  state = { ...state, ...next }
  listeners.forEach((fn) => fn())
}

export function useSession(): SessionState {
  const [, tick] = useState(0)
  useEffect(() => {
    const fn = () => tick((n) => n + 1)
    listeners.add(fn)
    return () => void listeners.delete(fn)
  }, [])
  return state
}

const WS_KEY = 'earshot.workspace'

export async function loadSession() {
  try {
    const me = await api.me()
    const saved = localStorage.getItem(WS_KEY)
    const ws = me.workspaces?.find((w) => w.id === saved) ?? me.workspaces?.[0]
    set({ status: 'signed-in', me, workspaceId: ws?.id, expired: false })
  } catch {
    set({ status: 'signed-out', me: undefined })
  }
}

export const markSignedOut = (expired = false) =>
  set({ status: 'signed-out', me: undefined, expired: expired && state.status === 'signed-in' })

export function selectWorkspace(id: string) {
  localStorage.setItem(WS_KEY, id)
  set({ workspaceId: id })
}

export function currentWorkspace(s: SessionState = state): Workspace | undefined {
  return s.me?.workspaces?.find((w) => w.id === s.workspaceId) ?? s.me?.workspaces?.[0]
}

export function allProjects(s: SessionState = state): Project[] {
  return currentWorkspace(s)?.projects ?? []
}

const RANK: Record<Role, number> = { viewer: 0, support: 1, responder: 2, owner: 3 }

/** Hides what the API would refuse anyway; the API stays the authority. */
export function can(atLeast: Role, s: SessionState = state): boolean {
  const role = currentWorkspace(s)?.role
  return !!role && RANK[role] >= RANK[atLeast]
}

export function projectName(id: string, s: SessionState = state): string {
  for (const w of s.me?.workspaces ?? []) for (const p of w.projects) if (p.id === id) return p.name
  return id
}
