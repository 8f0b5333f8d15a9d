/**
 * Shared types and helpers of the Dataset Migrations plugin suite: the dataset
 * annotation, its parser, and the shapes the backend API returns.
 *
 * @packageDocumentation
 */

export * from './annotations';
export * from './types';
export * from './client';
