import type { ErrorBody } from './contract.js';

/**
 * An error answer of the agent's API, as every client sees it (the console's pages, tandemctl,
 * tests): the HTTP status and the typed body, with its code and field errors at hand.
 */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly body: ErrorBody,
  ) {
    super(body.error.message);
    this.name = 'ApiError';
  }

  get code(): ErrorBody['error']['code'] {
    return this.body.error.code;
  }

  get fields(): ErrorBody['error']['fields'] {
    return this.body.error.fields;
  }
}
