// A file operation runs on libuv's thread pool and cannot be interrupted once started (a read on a
// hung network mount may never end). A cancel or shutdown must not wait for it: the caller stops
// waiting at once and what the operation yields later is dropped. Used for reads, which yield no
// resource; an open is not raced, lest a descriptor it depends on be closed and its number reused.

export class FileOperationCancelled extends Error {
  override name = 'FileOperationCancelled';
  constructor() {
    super('The file operation was cancelled.');
  }
}

/** Settles like `operation`, or rejects with FileOperationCancelled as soon as `signal` aborts. */
export function abortable<T>(operation: Promise<T>, signal: AbortSignal): Promise<T> {
  // Settled later, unobserved: its failure must not become an unhandled rejection.
  const abandon = () => operation.catch(() => {});
  if (signal.aborted) {
    abandon();
    return Promise.reject(new FileOperationCancelled());
  }
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => {
      abandon();
      reject(new FileOperationCancelled());
    };
    signal.addEventListener('abort', onAbort, { once: true });
    operation.then(
      (value) => {
        signal.removeEventListener('abort', onAbort);
        resolve(value);
      },
      (error: unknown) => {
        signal.removeEventListener('abort', onAbort);
        reject(error);
      },
    );
  });
}
