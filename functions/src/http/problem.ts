import type { HttpResponseInit } from '@azure/functions';
import type { z } from 'zod';

export interface ValidationError {
  field: string;
  message: string;
}

/** An error a client can act on, answered as RFC 9457 problem+json. */
export class HttpProblem extends Error {
  constructor(
    readonly status: number,
    readonly title: string,
    readonly detail: string,
    readonly errors?: ValidationError[],
    /** Extension members (RFC 9457 §3.2) that tell the client what it ran into, e.g. the booking that already exists. */
    readonly extensions?: Record<string, unknown>,
  ) {
    super(detail);
  }
}

export const badRequest = (detail: string, errors?: ValidationError[]) => new HttpProblem(400, 'Bad request', detail, errors);
export const notFound = (what: string) => new HttpProblem(404, 'Not found', `${what} was not found.`);
export const conflict = (detail: string, extensions?: Record<string, unknown>) => new HttpProblem(409, 'Conflict', detail, undefined, extensions);
export const unauthorized = (detail: string) => new HttpProblem(401, 'Unauthorized', detail);
export const forbidden = (detail: string) => new HttpProblem(403, 'Forbidden', detail);

export function validationProblem(error: z.ZodError, where: string): HttpProblem {
  const errors = error.issues.map((issue) => ({
    field: issue.path.length > 0 ? issue.path.join('.') : where,
    message: issue.code === 'unrecognized_keys' ? `unknown field(s): ${issue.keys.join(', ')}` : issue.message,
  }));
  return new HttpProblem(400, 'Validation failed', `The ${where} is not valid: ${errors.map((e) => `${e.field}: ${e.message}`).join('; ')}`, errors);
}

export function problemResponse(problem: HttpProblem, instance?: string): HttpResponseInit {
  return {
    status: problem.status,
    headers: { 'content-type': 'application/problem+json' },
    body: JSON.stringify({
      ...problem.extensions,
      type: `https://asep.dev/problems/${problem.title.toLowerCase().replaceAll(' ', '-')}`,
      title: problem.title,
      status: problem.status,
      detail: problem.detail,
      ...(instance ? { instance } : {}),
      ...(problem.errors ? { errors: problem.errors } : {}),
    }),
  };
}
