import type { Permission } from '@asep/shared/access/matrix';
import { holdsSends, resumptionText, type KillSwitchChange, type KillSwitchState } from '@asep/shared/killswitch/killswitch';
import { cardInputIds } from './actions';
import {
  type AdaptiveCard,
  card,
  type CardElement,
  cleanText,
  type ExecuteButton,
  executeButton,
  heading,
  instant,
  labelled,
  ourText,
  type RefreshAudience,
  stateRow,
  textLimits,
} from './elements';
import { absentNote, type CardViewer, mayPress } from './viewer';

type Switch = NonNullable<KillSwitchState['tenant']>;

export interface KillSwitchCampaign {
  id: string;
  name: string;
  status: string;
}

export interface KillSwitchCardContext extends RefreshAudience, CardViewer {
  /** The tenant's campaigns; the card lists the running ones and any whose switch is on. */
  campaigns: readonly KillSwitchCampaign[];
}

const maxCampaignsShown = 8;
/** Shorter than elsewhere: up to nine switches share one card. */
const rowLimits = { name: 80, person: 60, reason: 140 } as const;

/**
 * The tenant's kill switches and a button to flip each one. A change needs a reason and a second click:
 * the buttons send `killswitch.request`, to which the bot answers with `buildKillSwitchConfirmCard`.
 */
export function buildKillSwitchCard(state: KillSwitchState, context: KillSwitchCardContext): AdaptiveCard {
  const tenantOn = state.tenant?.active === true;
  const listed = context.campaigns.filter((campaign) => campaign.status === 'running' || state.campaigns[campaign.id]?.active);
  const shown = listed.slice(0, maxCampaignsShown);
  const tenantButton = executeButton(
    tenantOn ? 'Resume all sending' : 'Stop all sending',
    { action: 'killswitch.request', scope: 'tenant', active: !tenantOn },
    { style: tenantOn ? 'positive' : 'destructive' },
  );
  const campaignButtons = shown.map((campaign) => {
    const on = state.campaigns[campaign.id]?.active === true;
    return executeButton(
      on ? 'Resume campaign' : 'Stop campaign',
      { action: 'killswitch.request', scope: 'campaign', campaignId: campaign.id, active: !on },
      { style: on ? 'positive' : 'destructive' },
    );
  });
  const mayFlipTenant = mayPress(context, tenantButton.data);
  const mayFlipCampaigns = campaignButtons.length > 0 && mayPress(context, campaignButtons[0]!.data);
  const withheld: Permission[] = [
    ...(mayFlipTenant ? [] : ['killswitch.tenant' as const]),
    ...(mayFlipCampaigns || campaignButtons.length === 0 ? [] : ['killswitch.campaign' as const]),
  ];
  return card({
    summary: `Kill switch: all sending is ${tenantOn ? 'stopped' : 'allowed'}`,
    refresh: { data: { action: 'killswitch.refresh' }, audience: context },
    body: [
      heading('Kill switch'),
      ...ourText(
        'While a switch is on, nothing in its scope is sent, including emails already approved or queued: sequences wait where they are and go on when it is turned off.',
        { isSubtle: true },
      ),
      ...(mayFlipTenant || mayFlipCampaigns
        ? [
            {
              type: 'Input.Text',
              id: cardInputIds.reason,
              label: 'Reason for any change',
              maxLength: 500,
              isRequired: true,
              errorMessage: 'A reason is required to change a kill switch.',
              spacing: 'medium',
            },
          ]
        : []),
      switchRow({ title: 'All sending', current: state.tenant, button: mayFlipTenant ? tenantButton : undefined }),
      ...shown.map((campaign, index) =>
        switchRow({
          title: `Campaign: ${cleanText(campaign.name, rowLimits.name)} (${cleanText(campaign.status, 20)})`,
          current: state.campaigns[campaign.id],
          button: mayFlipCampaigns ? campaignButtons[index] : undefined,
        }),
      ),
      ...(listed.length === 0 ? ourText('No campaign is running.', { isSubtle: true }) : []),
      ...(listed.length > shown.length
        ? ourText(`${listed.length - shown.length} more campaigns are not shown here: use the console.`, { isSubtle: true })
        : []),
      ...absentNote(withheld),
    ],
  });
}

function switchRow(row: { title: string; current: Switch | undefined; button: ExecuteButton | undefined }): CardElement {
  const on = holdsSends(row.current);
  const text = !on ? 'sending (switch off)' : row.current?.active ? 'STOPPED (switch on)' : 'STOPPED (ending its sequences)';
  return stateRow(row.title, { text, weight: 'bolder', color: on ? 'attention' : 'good' }, [
    ...(row.current ? lastChange(row.current) : []),
    ...(row.button ? [{ type: 'ActionSet', actions: [row.button] }] : []),
  ]);
}

function lastChange(change: Switch): CardElement[] {
  return [
    ...labelled(change.active ? 'Turned on by' : 'Turned off by', change.changedBy, rowLimits.person),
    ...ourText(`Changed ${instant(change.changedAt)}`, { isSubtle: true }),
    ...labelled('Reason', change.reason, rowLimits.reason),
    ...(change.active || !change.resumption ? [] : ourText(resumptionText(change.resumption, change.release), { isSubtle: true })),
  ];
}

/** "Are you sure?" for a requested change; only `killswitch.confirm` from this card changes anything. */
export function buildKillSwitchConfirmCard(change: KillSwitchChange, context: { campaignName?: string } = {}): AdaptiveCard {
  const scope = change.scope === 'tenant' ? 'all sending' : `campaign "${cleanText(context.campaignName ?? change.campaignId, textLimits.name)}"`;
  const question = `Turn the kill switch ${change.active ? 'ON' : 'OFF'} for ${scope}?`;
  return card({
    summary: question,
    body: [
      heading(question, { color: change.active ? 'attention' : 'good' }),
      ...ourText(
        change.active
          ? 'Nothing in this scope will be sent, including emails already approved or queued, until the switch is turned off. Sequences wait where they are.'
          : 'Resume: the sequences it held go on where they stopped, approved emails go out. End all: every sequence in this scope ends and its campaigns stop; nothing held is sent.',
      ),
      ...labelled('Reason', change.reason, textLimits.reason),
    ],
    actions: [
      ...(change.active
        ? [executeButton('Yes, stop sending', { action: 'killswitch.confirm', ...change }, { style: 'destructive' })]
        : [
            executeButton('Yes, resume sending', { action: 'killswitch.confirm', ...change, release: 'resume' }, { style: 'positive' }),
            executeButton('Turn off and end all sequences', { action: 'killswitch.confirm', ...change, release: 'end' }, { style: 'destructive' }),
          ]),
      // Cancelling just shows the switches again, as they are now.
      executeButton('Cancel', { action: 'killswitch.refresh' }),
    ],
  });
}
