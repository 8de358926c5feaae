// Script-tag screenshot chunk (dist/public/widget/attach.<hash>.js): hands its API to the loader.
import { attachChunk } from './chunk.js'
;(window as unknown as { __earshot_attach: typeof attachChunk }).__earshot_attach = attachChunk
