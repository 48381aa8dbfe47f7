export * from './types.js';
export * from './align.js';
export * from './returns.js';
export * from './drawdown.js';
export * from './rolling.js';
