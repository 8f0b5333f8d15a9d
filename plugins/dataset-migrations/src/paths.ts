/** Where the plugin's page is mounted (PageBlueprint path); links to runs build on it. */
export const PLUGIN_BASE_PATH = '/dataset-migrations';

export const migrationPath = (id: string) =>
  `${PLUGIN_BASE_PATH}/migrations/${encodeURIComponent(id)}`;
