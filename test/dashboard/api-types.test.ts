import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { apiTypes, OUTPUT } from '../../tools/openapi-types/generate.js'

// The dashboard's API types are generated from /openapi.json by openapi-typescript (a real
// third-party generator): it must succeed on the document, and the committed file must be what
// it makes today — a route or serializer changed without `npm run api:types` fails here.
describe('dashboard/src/api-types.ts', () => {
  it('is what openapi-typescript generates from the current /openapi.json', async () => {
    const fresh = await apiTypes()
    expect(fresh).toContain('export interface paths')
    expect(fresh).toContain('"/api/clusters/{id}"')
    expect(readFileSync(OUTPUT, 'utf8') === fresh, 'dashboard/src/api-types.ts is stale: run `npm run api:types`').toBe(
      true,
    )
  }, 60_000)
})
