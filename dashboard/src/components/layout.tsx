import type { ComponentChildren } from 'preact'

/** Sticky page header with breadcrumbs on the left and page actions on the right. */
export function TopBar({ children, crumbs }: { children?: ComponentChildren; crumbs?: ComponentChildren }) {
  return (
    <header class="topbar">
      <div class="crumbs grow">{crumbs}</div>
      {children}
    </header>
  )
}
