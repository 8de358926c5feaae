// Words: tokenizing, stemming and stop words shared by clustering and surge topics.
// The feature's one door: the rest of worker/ imports this file, never the leaves beside it.
export { MASK, STOPWORDS, stem, tokenize } from './words.js'
