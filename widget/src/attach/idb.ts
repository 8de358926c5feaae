// The queued screenshot's copy on this device: IndexedDB (localStorage cannot hold images). Every
// call settles, never throws: a browser that refuses storage just gets `false` / undefined.
let opened: Promise<IDBDatabase> | undefined

function run<T>(mode: IDBTransactionMode, fn: (store: IDBObjectStore) => IDBRequest<T>): Promise<T> {
  opened ||= new Promise((ok, fail) => {
    const req = indexedDB.open('earshot', 1)
    req.onupgradeneeded = () => req.result.createObjectStore('img')
    req.onsuccess = () => ok(req.result)
    req.onerror = () => fail(req.error)
  })
  return opened.then(
    (db) =>
      new Promise((ok, fail) => {
        const tx = db.transaction('img', mode)
        const req = fn(tx.objectStore('img'))
        tx.oncomplete = () => ok(req.result)
        tx.onerror = tx.onabort = () => fail(tx.error)
      }),
  )
}

export const keep = (key: string, image: Blob) =>
  run('readwrite', (s) => s.put(image, key)).then(
    () => true,
    () => false,
  )
export const get = (key: string) => run<Blob | undefined>('readonly', (s) => s.get(key)).catch(() => undefined)
export const drop = (key: string) =>
  run('readwrite', (s) => s.delete(key)).then(
    () => {},
    () => {},
  )
