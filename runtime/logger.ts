import { LOG_LEVEL_ENV } from '../manifest/environment';
import type { LogLevel } from '../manifest/types';

// A structured logger small enough to ship in every function: one JSON line
// per entry on stdout. Lambda splits its logs on newlines and, with the JSON
// log format, reads `level` and `timestamp` itself (log-level filtering), so
// the key names follow the Node.js runtime's own JSON format.

export type LogFields = Record<string, unknown>;

export interface Logger {
  debug(message: string, fields?: LogFields): void;
  info(message: string, fields?: LogFields): void;
  warn(message: string, fields?: LogFields): void;
  error(message: string, fields?: LogFields): void;
  /** A logger that adds `fields` to every entry (the entry's own fields win). */
  child(fields: LogFields): Logger;
  /** The level in force now: the `SPARTA_LOG_LEVEL` environment variable, `info` when unset or unknown. */
  readonly level: LogLevel;
}

/** What the handler adapter learns from each invocation's context. */
export interface RequestContext {
  requestId?: string;
  functionName?: string;
}

const RANK: Record<LogLevel, number> = { debug: 10, info: 20, warn: 30, error: 40 };

let request: RequestContext = {};

/** Called by the handler adapter at the start of every invocation. */
export function setRequestContext(context: RequestContext): void {
  request = context;
}

function currentLevel(): LogLevel {
  const value = process.env[LOG_LEVEL_ENV]?.toLowerCase();
  return value !== undefined && value in RANK ? (value as LogLevel) : 'info';
}

/** Errors have no enumerable own properties, so JSON.stringify would print `{}`. */
function replacer(_key: string, value: unknown): unknown {
  if (value instanceof Error) {
    const { name, message, stack, cause } = value;
    return { ...value, name, message, stack, ...(cause === undefined ? {} : { cause }) };
  }
  if (typeof value === 'bigint') return value.toString();
  return value;
}

/** A field that cannot be serialised (a cycle, a throwing getter) becomes a note; the others are kept. */
function serialisable(value: unknown): unknown {
  try {
    JSON.stringify(value, replacer);
    return value;
  } catch (error) {
    return `[unserialisable: ${String(error)}]`;
  }
}

/** Logging must never throw into user code. */
function serialise(entry: LogFields): string {
  try {
    return JSON.stringify(entry, replacer);
  } catch {
    const kept: LogFields = {};
    for (const key in entry) kept[key] = serialisable(entry[key]);
    return JSON.stringify(kept, replacer);
  }
}

/**
 * Where a field named like a reserved key goes: `_message` for `message`
 * (`__message` if that is taken too), so nothing the caller passed is lost.
 */
function freeKey(entry: LogFields, key: string): string {
  let name = key;
  while (name in entry) name = `_${name}`;
  return name;
}

function write(level: LogLevel, message: string, base: LogFields | undefined, fields: LogFields | undefined): void {
  if (RANK[level] < RANK[currentLevel()]) return;
  const entry: LogFields = {
    timestamp: new Date().toISOString(),
    level: level.toUpperCase(),
    message,
    requestId: request.requestId,
    functionName: request.functionName ?? process.env.AWS_LAMBDA_FUNCTION_NAME,
  };
  // The reserved keys stay first and are sparta's; the entry's own fields win over the child's.
  const own = { ...base, ...fields };
  for (const key in own) entry[freeKey(entry, key)] = own[key];
  process.stdout.write(serialise(entry) + '\n');
}

function createLogger(base?: LogFields): Logger {
  return {
    debug: (message, fields) => write('debug', message, base, fields),
    info: (message, fields) => write('info', message, base, fields),
    warn: (message, fields) => write('warn', message, base, fields),
    error: (message, fields) => write('error', message, base, fields),
    child: (fields) => createLogger({ ...base, ...fields }),
    get level() {
      return currentLevel();
    },
  };
}

/** The logger every function shares: `import { logger } from 'sparta'`. */
export const logger: Logger = createLogger();
