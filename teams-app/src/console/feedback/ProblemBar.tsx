import { Button, MessageBar, MessageBarActions, MessageBarBody, MessageBarTitle } from '@fluentui/react-components';
import type { ApiProblem } from '@asep/shared/client/problem';

/** A failed call, as the API explained it (problem+json `title` and `detail`), with a way to try again. */
export function ProblemBar({ problem, onRetry, retryLabel = 'Try again' }: { problem: ApiProblem; onRetry?: () => void; retryLabel?: string }) {
  return (
    <MessageBar intent="error" layout="multiline" role="alert">
      <MessageBarBody>
        <MessageBarTitle>{problem.title}</MessageBarTitle>
        {problem.detail}
      </MessageBarBody>
      {onRetry && (
        <MessageBarActions>
          <Button onClick={onRetry}>{retryLabel}</Button>
        </MessageBarActions>
      )}
    </MessageBar>
  );
}
