import { ReadPreference, WriteConcern, type ClientSession, type MongoClient, type TransactionOptions } from 'mongodb';

/**
 * Every multi-document write goes through here. Majority write concern: the commit is acknowledged
 * only once a majority of the replica set has it (journaled, since `writeConcernMajorityJournalDefault`
 * is on by default), so a failover cannot roll back an answered write. Snapshot reads: the version
 * checks see one consistent state, and a concurrent writer surfaces as a WriteConflict, which the
 * driver labels transient and `withTransaction` retries from the start.
 */
const TRANSACTION_OPTIONS: TransactionOptions = {
  readConcern: { level: 'snapshot' },
  writeConcern: new WriteConcern('majority'),
  readPreference: ReadPreference.primary,
};

/**
 * Runs `work` in one transaction. The callback must await every operation in turn with the session
 * (the driver does not support parallel operations in a transaction) and must let errors propagate:
 * a MongoError labelled transient restarts the callback; any other error aborts and is rethrown.
 */
export async function inTransaction(client: MongoClient, work: (session: ClientSession) => Promise<void>): Promise<void> {
  const session = client.startSession();
  try {
    await session.withTransaction(work, TRANSACTION_OPTIONS);
  } finally {
    // Ignores server errors by design (the server reaps abandoned sessions), so it never masks ours.
    await session.endSession();
  }
}
