/** A failure that retrying cannot fix (the data or the schema is wrong, not the network). */
export class PermanentStepError extends Error {}
