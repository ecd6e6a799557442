/** The part of newman's Node API the Postman test uses (newman ships no types; @types/newman is not installed). */
declare module 'newman' {
  export interface NewmanRunSummary {
    run: {
      stats: { requests: { total: number; failed: number }; assertions: { total: number; failed: number } };
      failures: { source?: { name?: string }; error: { message: string } }[];
    };
  }
  export interface NewmanRunOptions {
    collection: unknown;
    envVar?: { key: string; value: string }[];
    reporters?: string[];
  }
  const newman: { run(options: NewmanRunOptions, callback: (err: Error | null, summary: NewmanRunSummary) => void): unknown };
  export default newman;
}
