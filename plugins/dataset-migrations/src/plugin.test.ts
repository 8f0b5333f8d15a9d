import { datasetMigrationsPlugin } from './plugin';

describe('dataset-migrations', () => {
  it('should export plugin', () => {
    expect(datasetMigrationsPlugin).toBeDefined();
  });
});
