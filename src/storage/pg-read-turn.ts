/**
 * PostgreSQL: the reads of one kind asked for in the same turn of the event loop go as one
 * statement for all their keys (`= any($1)`), one round trip instead of one each. Duplicate
 * keys share their answer. A turn's batch closes when it is sent, so every answer was read
 * after its request arrived: nothing is answered from before it.
 */
export function coalescePerTurn<K, V>(
  readMany: (keys: K[]) => Promise<ReadonlyMap<K, V>>,
): (key: K) => Promise<V | undefined> {
  return batchPerTurn(async (keys: K[]) => {
    const byKey = await readMany([...new Set(keys)]);
    return keys.map((key) => byKey.get(key));
  });
}

/**
 * As coalescePerTurn, for reads that cannot share an answer (each asks for its own set): the
 * requests of one turn go as one statement, and each gets the answer at its own position.
 */
export function batchPerTurn<Q, R>(readAll: (requests: Q[]) => Promise<R[]>): (request: Q) => Promise<R> {
  let waiting: Array<{ request: Q; resolve: (result: Promise<R>) => void }> = [];
  const flush = () => {
    const batch = waiting;
    waiting = [];
    const read = readAll(batch.map((one) => one.request));
    batch.forEach((one, index) => {
      one.resolve(read.then((results) => results[index] as R));
    });
  };
  return (request) =>
    new Promise<R>((resolve) => {
      if (waiting.length === 0) setImmediate(flush);
      waiting.push({ request, resolve });
    });
}
