// Where attachment bytes live. One small interface, two homes: a directory beside the database on
// Node (worker/entries/node-attachments.ts, Node only) and an R2 bucket binding on Workers (below).

export interface AttachmentStore {
  /** Durable when it resolves (the report row that points here is committed afterwards). */
  put(key: string, bytes: Uint8Array, contentType: string): Promise<void>
  get(key: string): Promise<Uint8Array | undefined>
  delete(keys: string[]): Promise<void>
  /** Every stored key, in pages (for the orphan sweep). */
  list?(): AsyncIterable<string[]>
}

/** The part of Cloudflare's R2Bucket binding we use (declared here: the shared tsconfig has no workers-types). */
export interface R2BucketLike {
  put(
    key: string,
    value: Uint8Array | ArrayBuffer,
    options?: { httpMetadata?: { contentType?: string } },
  ): Promise<unknown>
  get(key: string): Promise<{ arrayBuffer(): Promise<ArrayBuffer> } | null>
  delete(keys: string | string[]): Promise<void>
  list(options?: {
    cursor?: string
    limit?: number
  }): Promise<{ objects: { key: string }[]; truncated: boolean; cursor?: string }>
}

export function r2AttachmentStore(bucket: R2BucketLike): AttachmentStore {
  return {
    async put(key, bytes, contentType) {
      await bucket.put(key, bytes, { httpMetadata: { contentType } })
    },
    async get(key) {
      const object = await bucket.get(key)
      return object ? new Uint8Array(await object.arrayBuffer()) : undefined
    },
    async delete(keys) {
      // R2 deletes up to 1,000 keys per call.
      for (let i = 0; i < keys.length; i += 1000) await bucket.delete(keys.slice(i, i + 1000))
    },
    async *list() {
      let cursor: string | undefined
      do {
        const page = await bucket.list({ cursor, limit: 500 })
        yield page.objects.map((o) => o.key)
        cursor = page.truncated ? page.cursor : undefined
      } while (cursor)
    },
  }
}
