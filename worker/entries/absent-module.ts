// Stands in (wrangler.toml [alias]) for the optional schema libraries hono-openapi's converters
// try with a dynamic import() inside try/catch — effect, sury, valibot's and zod 3's JSON Schema
// converters, zod-openapi. Earshot's schemas are zod 4, converted by zod itself, so these are never
// reached; importing this module fails the same way a missing package would, and the Workers
// bundle carries no unresolved import.
throw new Error('This optional package is not part of the Earshot Workers bundle.')
