// Erasure and export of a person's data (GDPR requests).
// The feature's one door: the rest of worker/ imports this file, never the leaves beside it.
export { applyRetention, eraseReporter } from './privacy.js'
