import { InputError, NotFoundError, UsageError } from '../shared/errors.js';

/** An RFC 9457 problem document. `invalid-params` names the query parameter at fault (400). */
export type Problem = {
  type: string;
  title: string;
  status: number;
  detail: string;
  instance?: string;
  'invalid-params'?: { name: string; reason: string }[];
};

/** A request the server refuses before any work: a bad parameter, an unknown route, a wrong method, a big body. */
export class HttpProblem extends Error {
  override name = 'HttpProblem';
  readonly status: number;
  readonly param: string | undefined;
  constructor(status: number, message: string, param?: string) {
    super(message);
    this.status = status;
    this.param = param;
  }
}

const TITLES: Record<number, string> = {
  400: 'Bad Request',
  404: 'Not Found',
  405: 'Method Not Allowed',
  406: 'Not Acceptable',
  413: 'Content Too Large',
  422: 'Unprocessable Content',
  500: 'Internal Server Error',
  503: 'Service Unavailable',
  504: 'Gateway Timeout',
};

export function problem(status: number, detail: string, param?: string): Problem {
  return {
    type: 'about:blank',
    title: TITLES[status] ?? 'Error',
    status,
    detail,
    ...(param ? { 'invalid-params': [{ name: param, reason: detail }] } : {}),
  };
}

/**
 * The one mapping from an error to a problem: usage errors are 400, unknown symbols 404, data that cannot answer
 * 422. Anything else is a 500 whose detail is fixed text: the message and the stack stay in the process (`log`).
 */
export function problemOf(e: unknown, log: (e: unknown) => void): Problem {
  if (e instanceof HttpProblem) return problem(e.status, e.message, e.param);
  if (e instanceof UsageError) return problem(400, e.hint ? `${e.message}; ${e.hint}` : e.message);
  if (e instanceof NotFoundError) return problem(404, e.message);
  if (e instanceof InputError) return problem(422, e.describe());
  log(e);
  return problem(500, 'the server could not answer this request; the error is in its log');
}
