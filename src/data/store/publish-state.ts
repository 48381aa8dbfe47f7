/**
 * The publish layer's view of the store (docs/publish.md): run steps, the brief archive, subscribers, editions, the
 * outbox and its delivery log, alert state and events. One class for its callers, one file per concept behind it
 * (publish-state-sql.ts says which holds what).
 */
import { OutboxState } from './publish-state-outbox.js';

export type { SqlStatements } from './publish-state-sql.js';
export type { ArchiveEntry, StepStatus } from './publish-state-runs.js';
export type { Cadence, Subscriber } from './publish-state-subscribers.js';
export type { Edition, OutboxRow } from './publish-state-outbox.js';

/** The publish layer's view of the store. */
export class PublishState extends OutboxState {}
