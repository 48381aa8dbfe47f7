/**
 * The analytics entry points shared by the CLI, the brief and the server: each loads through data/load (never
 * past `asOf`) and calls the pure core functions.
 */
export * from './analytics/common.js';
export * from './analytics/race.js';
export * from './analytics/precedents.js';
export * from './analytics/check.js';
export * from './analytics/calendar.js';
export * from './analytics/rrg.js';
export * from './analytics/breadth.js';
