import type { MongoClient } from 'mongodb';

/**
 * D31: data and its AuditEvent are written in one multi-document transaction, which MongoDB only
 * offers on a replica set or through mongos. A standalone server would fail on the first write;
 * refusing at start-up says why instead.
 */
export async function assertTransactionsAvailable(client: MongoClient): Promise<void> {
  const hello = await client.db('admin').command({ hello: 1 });
  const replicaSet = typeof hello.setName === 'string' && hello.setName !== '';
  const sharded = hello.msg === 'isdbgrid';
  if (!replicaSet && !sharded) {
    throw new Error(
      'MongoDB is a standalone server, but the store needs a replica set or a sharded cluster for ' +
        'transactions (atomic data + audit writes, D31). A single node started with --replSet and ' +
        'rs.initiate() is enough; point MONGODB_URI at it.',
    );
  }
}
