import { ensureChromium } from './chromium.js'

// Once per run, before any worker starts: so parallel browser tests never race an apt-get.
export default function setup() {
  ensureChromium()
}
