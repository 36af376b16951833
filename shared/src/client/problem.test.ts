import { describe, expect, it } from 'vitest';
import { ApiProblem, errorsAt, errorsOutside } from './problem';

const problemJson = (body: unknown, status = 400) =>
  new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/problem+json' } });

describe('ApiProblem.fromResponse', () => {
  it('keeps the title, the detail and every field error of a problem+json answer', async () => {
    const problem = await ApiProblem.fromResponse(
      problemJson({
        title: 'Validation failed',
        status: 400,
        detail: 'The request body is not valid: rules.caps.newRecipientsPerMailboxPerDay: Too small',
        errors: [
          { field: 'rules.caps.newRecipientsPerMailboxPerDay', message: 'Too small: expected number to be >=0' },
          { field: 'rules.deals.askThreshold', message: 'askThreshold must not be above createThreshold' },
        ],
      }),
    );
    expect(problem).toMatchObject({ status: 400, title: 'Validation failed', detail: expect.stringContaining('not valid') });
    expect(problem.errors.map((error) => error.field)).toEqual(['rules.caps.newRecipientsPerMailboxPerDay', 'rules.deals.askThreshold']);
  });

  it('falls back to the status line when a proxy answers with HTML', async () => {
    const problem = await ApiProblem.fromResponse(new Response('<html>Bad gateway</html>', { status: 502, statusText: 'Bad Gateway' }));
    expect(problem).toMatchObject({ status: 502, title: 'Bad Gateway', detail: undefined, errors: [] });
  });

  it('ignores malformed entries of errors[] rather than failing on them', async () => {
    const problem = await ApiProblem.fromResponse(
      problemJson({ title: 'Bad request', errors: [{ field: 'reason' }, 'oops', { field: 'reason', message: 'a reason is required' }] }),
    );
    expect(problem.errors).toEqual([{ field: 'reason', message: 'a reason is required' }]);
  });
});

describe('field errors', () => {
  const problem = new ApiProblem(400, 'Validation failed', undefined, [
    { field: 'rules.recipients.blockedTlds.1', message: 'Invalid input: expected string' },
    { field: 'rules.caps.newRecipientsPerMailboxPerDay', message: 'Too small' },
    { field: 'rules.audit', message: 'unknown field(s): audit' },
  ]);

  it('gives a field its own errors and those of the items under it, naming the item', () => {
    expect(errorsAt(problem, 'rules.recipients.blockedTlds')).toEqual(['1: Invalid input: expected string']);
    expect(errorsAt(problem, 'rules.caps.newRecipientsPerMailboxPerDay')).toEqual(['Too small']);
    expect(errorsAt(problem, 'rules.caps.newRecipients')).toEqual([]);
  });

  it('finds the errors no field on the screen would show', () => {
    expect(errorsOutside(problem, ['rules.recipients.blockedTlds', 'rules.caps.newRecipientsPerMailboxPerDay'])).toEqual([
      { field: 'rules.audit', message: 'unknown field(s): audit' },
    ]);
  });
});
