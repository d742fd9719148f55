/**
 * A question to the log store, in HAProxy's names (the query service turns the console's names
 * into these). Every field narrows; newest first unless `after` is given.
 */
export interface LogFilter {
  from?: number;
  to?: number;
  /** An exact status (404) or a class (5 for 5xx). */
  status?: number;
  statusClass?: number;
  frontend?: string;
  backend?: string;
  server?: string;
  /**
   * Client address: a prefix when it ends with `.` (`198.18.` for 198.18.0.0/16), else the whole
   * address (`198.18.0.1` must not find 198.18.0.10).
   */
  clientPrefix?: string;
  method?: string;
  /** Words to find in URL, host or user agent. */
  text?: string;
  parseErrors?: boolean;
  /** Return rows with id < before (newest first) or id > after (oldest first, for follow). */
  before?: number;
  after?: number;
  limit: number;
}
