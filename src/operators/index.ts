export { atLeast } from './atLeast.js';
export { distinctTransitions } from './distinctTransitions.js';
export { untilTerminal } from './untilTerminal.js';
