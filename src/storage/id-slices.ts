// PostgreSQL takes at most 65,535 parameters a statement: ids are looked up in slices.
const ID_SLICE = 5_000;

export async function bySlices<T>(ids: number[], read: (slice: number[]) => Promise<T[]>): Promise<T[]> {
  const rows: T[] = [];
  for (let i = 0; i < ids.length; i += ID_SLICE) rows.push(...(await read(ids.slice(i, i + ID_SLICE))));
  return rows;
}
