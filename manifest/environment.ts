// Environment variables that the template stage sets on every function and the
// runtime reads. Both sides import the names from here.

/** JSON discovery document (see discovery.ts), built with Fn::Sub. */
export const DISCOVERY_ENV = 'SPARTA_DISCOVERY';

/** `debug` | `info` | `warn` | `error`; set from `@Lambda({ logLevel })`, and a user may override it. */
export const LOG_LEVEL_ENV = 'SPARTA_LOG_LEVEL';
