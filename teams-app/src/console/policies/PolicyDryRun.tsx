import { Badge, Button, Checkbox, Field, Input, makeStyles, Select, Text, Textarea, tokens } from '@fluentui/react-components';
import { useCallback, useState, type FormEvent } from 'react';
import type { PolicyDecision } from '@asep/shared/policy/decision';
import { asApiProblem, errorsAt, errorsOutside, type ApiProblem } from '@asep/shared/client/problem';
import { useApi } from '../api/useApi';
import { ProblemBar } from '../feedback/ProblemBar';
import { useResource } from '../feedback/useResource';
import { usePermission } from '../shell/session';

const useStyles = makeStyles({
  form: {
    display: 'grid',
    gridTemplateColumns: 'repeat(auto-fill, minmax(16rem, 1fr))',
    gap: tokens.spacingVerticalM,
    padding: tokens.spacingHorizontalL,
    backgroundColor: tokens.colorNeutralBackground1,
    borderRadius: tokens.borderRadiusLarge,
    boxShadow: tokens.shadow4,
  },
  wide: { gridColumn: '1 / -1' },
  heading: { margin: 0 },
  result: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalS },
  list: { margin: 0, paddingLeft: tokens.spacingHorizontalXL },
  subtle: { color: tokens.colorNeutralForeground2 },
});

const stepApprovals = ['every', 'once', 'none'] as const;
type StepApproval = (typeof stepApprovals)[number];

const actionFields = ['campaignId', 'mailbox', 'to', 'subject', 'body', 'isFirstTouch', 'stepApproval', 'approved'].map((name) => `action.${name}`);

function verdict(decision: PolicyDecision): { text: string; color: 'danger' | 'warning' | 'success' } {
  if (!decision.allow) return { text: 'Blocked', color: 'danger' };
  if (decision.approvalRequired) return { text: "Needs a manager's approval", color: 'warning' };
  return { text: 'Would be sent', color: 'success' };
}

/** Tries a hypothetical email against the policy in force (and the kill switches), without sending anything. */
export function PolicyDryRun() {
  const styles = useStyles();
  const api = useApi();
  const canReadCampaigns = usePermission('campaigns.read');
  const campaigns = useResource(
    useCallback((signal: AbortSignal) => (canReadCampaigns ? api.campaigns(signal) : Promise.resolve([])), [api, canReadCampaigns]),
  );
  const [campaignId, setCampaignId] = useState('');
  const [mailbox, setMailbox] = useState('');
  const [to, setTo] = useState('');
  const [subject, setSubject] = useState('Quick question');
  const [body, setBody] = useState('');
  const [isFirstTouch, setIsFirstTouch] = useState(true);
  const [stepApproval, setStepApproval] = useState<StepApproval>('every');
  const [approved, setApproved] = useState(false);
  const [decision, setDecision] = useState<PolicyDecision>();
  const [problem, setProblem] = useState<ApiProblem>();
  const [testing, setTesting] = useState(false);

  const chooseCampaign = (id: string) => {
    setCampaignId(id);
    const campaign = campaigns.data?.find((candidate) => candidate.id === id);
    if (campaign) setMailbox(campaign.mailbox);
  };

  const test = async (event: FormEvent) => {
    event.preventDefault();
    setTesting(true);
    setProblem(undefined);
    setDecision(undefined);
    try {
      setDecision(
        await api.testPolicy({
          type: 'send_email',
          ...(campaignId ? { campaignId } : {}),
          mailbox: mailbox.trim(),
          to: to.trim(),
          subject,
          body,
          isFirstTouch,
          stepApproval,
          approved,
        }),
      );
    } catch (error) {
      setProblem(asApiProblem(error));
    } finally {
      setTesting(false);
    }
  };

  const message = (field: string) => errorsAt(problem, `action.${field}`).join(' ') || undefined;
  const outcome = decision && verdict(decision);
  const unshown = errorsOutside(problem, actionFields);

  return (
    <section aria-labelledby="dry-run" className={styles.result}>
      <Text as="h2" id="dry-run" size={500} weight="semibold" className={styles.heading}>
        Dry run
      </Text>
      <Text>What would the policy in force decide about this email? Nothing is sent and nothing is recorded.</Text>
      <form noValidate className={styles.form} onSubmit={(event) => void test(event)} aria-label="Dry run an email">
        {canReadCampaigns && (
          <Field label="Campaign" hint="Its kill switch counts too." validationMessage={message('campaignId')}>
            <Select value={campaignId} onChange={(_, data) => chooseCampaign(data.value)}>
              <option value="">No campaign</option>
              {(campaigns.data ?? []).map((campaign) => (
                <option key={campaign.id} value={campaign.id}>
                  {campaign.name}
                </option>
              ))}
            </Select>
          </Field>
        )}
        <Field label="From mailbox" required validationMessage={message('mailbox')}>
          <Input type="email" value={mailbox} onChange={(_, data) => setMailbox(data.value)} />
        </Field>
        <Field label="To" required validationMessage={message('to')}>
          <Input type="email" value={to} onChange={(_, data) => setTo(data.value)} placeholder="name@company.example" />
        </Field>
        <Field label="Subject" validationMessage={message('subject')}>
          <Input value={subject} onChange={(_, data) => setSubject(data.value)} />
        </Field>
        <Field label="Step approval" validationMessage={message('stepApproval')}>
          <Select value={stepApproval} onChange={(_, data) => setStepApproval(stepApprovals.find((mode) => mode === data.value) ?? 'every')}>
            <option value="every">Every email of the step</option>
            <option value="once">Once per step</option>
            <option value="none">None</option>
          </Select>
        </Field>
        <Field label="Body" className={styles.wide} validationMessage={message('body')}>
          <Textarea value={body} resize="vertical" onChange={(_, data) => setBody(data.value)} />
        </Field>
        <Checkbox label="First email to this prospect" checked={isFirstTouch} onChange={(_, data) => setIsFirstTouch(data.checked === true)} />
        <Checkbox label="Already approved by a manager" checked={approved} onChange={(_, data) => setApproved(data.checked === true)} />
        <div className={styles.wide}>
          <Button type="submit" appearance="primary" disabled={testing}>
            {testing ? 'Testing…' : 'Test this email'}
          </Button>
        </div>
      </form>

      {problem && (problem.errors.length === 0 || unshown.length > 0) && <ProblemBar problem={problem} />}
      {decision && outcome && (
        <div className={styles.result} role="status" aria-label="Dry-run decision">
          <Text>
            Decision:{' '}
            <Badge appearance="filled" color={outcome.color}>
              {outcome.text}
            </Badge>{' '}
            <span className={styles.subtle}>(policy version {decision.policyVersion})</span>
          </Text>
          {decision.reasons.length === 0 ? (
            <Text>No rule objects.</Text>
          ) : (
            <ul className={styles.list} aria-label="Reasons">
              {decision.reasons.map((reason) => (
                <li key={reason.rule}>
                  <Text weight="semibold">
                    {reason.outcome === 'block' ? 'Blocks' : reason.outcome === 'approval' ? 'Asks for approval' : 'Passes'}:
                  </Text>{' '}
                  {reason.message} <span className={styles.subtle}>({reason.rule})</span>
                </li>
              ))}
            </ul>
          )}
        </div>
      )}
    </section>
  );
}
