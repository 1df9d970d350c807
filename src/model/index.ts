// The shared vocabulary of every stage. Stages talk through these types, never through each other's internals.
export * from './request.js';
export * from './fault.js';
export * from './event.js';
export * from './messages.js';
export * from './repair.js';
export * from './shield.js';
export * from './audit.js';
