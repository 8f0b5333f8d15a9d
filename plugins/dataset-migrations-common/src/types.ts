/** Database clients a connection can use. @public */
export type ConnectionClient = 'better-sqlite3' | 'pg' | 'mysql2';

/** What the API tells about a configured connection: never its settings or secrets. @public */
export type ConnectionSummary = {
  name: string;
  client: ConnectionClient;
};
