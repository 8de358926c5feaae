// Stands in for @types/node in the Workers type-check (worker/tsconfig.workers.json): some
// dependencies' declarations reference `types="node"`, which would otherwise bring Node's globals
// and `node:*` modules into a program that must not use them. Empty on purpose.
export {}
