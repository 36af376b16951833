/** Decisions reach the waiting orchestration as an event named for the approval, so a late answer can never approve a later step. */
export const approvalEventName = (approvalId: string) => `approval-${approvalId}`;
