/**
 * Whether the table a dataset's location names exists now on its connection, as a plan
 * would find it. `unknown` when the connection could not be asked: then `reason` says
 * why, and nothing is concluded about the table. @public
 */
export type DatasetTable = {
  /** The location asked about, as a location annotation names it. */
  location: string;
  existence: 'exists' | 'missing' | 'unknown';
  /** Why the existence is unknown (only with `unknown`). */
  reason?: string;
};
