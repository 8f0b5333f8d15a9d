/**
 * Extension points and types for modules of the Dataset Migrations backend: add an
 * agent without touching the backend plugin.
 *
 * @packageDocumentation
 */
export * from './agents';
export * from './consumerAgents';
export * from './rules';
