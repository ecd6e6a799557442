import { WriteConcern, type Db } from 'mongodb';

/**
 * Store.getMeta/setMeta on MongoDB: one small collection of `{ _id: key, value }`. Its name holds an
 * underscore, which no resource type's collection can (mongo-rows.ts), so it never meets one.
 */

interface MetaDoc {
  _id: string;
  value: string;
}

const META_COLLECTION = 'store_meta';

export async function readMeta(db: Db, key: string): Promise<string | undefined> {
  const doc = await db.collection<MetaDoc>(META_COLLECTION).findOne({ _id: key });
  return typeof doc?.value === 'string' ? doc.value : undefined;
}

/** Majority-acknowledged, as every other write of the store: a failover cannot roll it back. */
export async function writeMeta(db: Db, key: string, value: string): Promise<void> {
  await db
    .collection<MetaDoc>(META_COLLECTION)
    .updateOne({ _id: key }, { $set: { value } }, { upsert: true, writeConcern: new WriteConcern('majority') });
}
