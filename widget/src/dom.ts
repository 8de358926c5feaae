// Tiny DOM helpers for the loader (the dialog uses Preact; the loader stays framework-free to be small).

export type Props = Record<string, string | number | boolean | null | undefined | ((e: any) => void)>
export type Kid = Node | string | null | undefined | false

/** createElement with attributes, `on…` listeners and children; false/null attributes are left out. */
export function el<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  props: Props = {},
  ...kids: Kid[]
): HTMLElementTagNameMap[K] {
  const node = document.createElement(tag)
  for (const name in props) {
    const value = props[name]
    if (typeof value == 'function') node.addEventListener(name.slice(2), value)
    else if (value != null && value !== false) node.setAttribute(name, value === true ? '' : '' + value)
  }
  for (const kid of kids) if (kid) node.append(kid)
  return node
}

/** An inline SVG icon from path data (stroke styles come from CSS), hidden from assistive
 *  technology. Built with createElementNS, never innerHTML, so Trusted Types pages are fine. */
export function icon(d: string, size = 18): SVGElement {
  const make = (tag: string, attrs: Record<string, string | number>) => {
    const node = document.createElementNS('http://www.w3.org/2000/svg', tag)
    for (const k in attrs) node.setAttribute(k, '' + attrs[k])
    return node
  }
  const svg = make('svg', { viewBox: '0 0 24 24', width: size, height: size, 'aria-hidden': 'true' })
  svg.append(make('path', { d }))
  return svg
}

export const ICON_REPORT = 'M21 15a2 2 0 0 1-2 2H7l-4 4V5a2 2 0 0 1 2-2h14a2 2 0 0 1 2 2zM12 7v4m0 3.5v.01'
export const ICON_CLOSE = 'M6 6l12 12M18 6 6 18'

/** Add CSS to a shadow root: a constructable stylesheet (no CSP needed), else <style nonce>. */
export function addStyle(shadow: ShadowRoot, css: string, nonce?: string) {
  try {
    const sheet = new CSSStyleSheet()
    sheet.replaceSync(css)
    shadow.adoptedStyleSheets = [...shadow.adoptedStyleSheets, sheet]
  } catch {
    const style = el('style')
    if (nonce) style.nonce = nonce
    style.textContent = css
    shadow.prepend(style)
  }
}

/** The focused element, looking inside shadow roots (to give focus back after the dialog closes). */
export function deepActive(): HTMLElement | null {
  let node = document.activeElement
  while (node?.shadowRoot?.activeElement) node = node.shadowRoot.activeElement
  return node as HTMLElement | null
}
