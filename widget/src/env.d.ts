// CSS files are imported as minified strings (esbuild plugin in widget/build.ts, Vite in tests).
declare module '*.css?inline' {
  const css: string
  export default css
}
