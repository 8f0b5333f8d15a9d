/**
 * Shared types and helpers of the Dataset Migrations plugin suite: the dataset
 * annotation, plans, migrations, permissions and the API client.
 *
 * @packageDocumentation
 */

export * from './annotations';
export * from './types';
export * from './plan';
export * from './migration';
export * from './datasetTable';
export * from './fleet';
export * from './campaign';
export * from './rollout';
export * from './consumer';
export * from './lifecycle';
export * from './permissions';
export * from './sse';
export * from './signals';
export * from './client';
export * from './campaignsClient';
export * from './rolloutsClient';
