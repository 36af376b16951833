import { type AdaptiveCard, card, cleanText, type CardElement, heading, openUrlButton, ourText, stateRow, textLimits } from '../cards/elements';
import type { CampaignStatus, StatusReport } from './backend';

const maxCampaignsShown = 8;
const statusOrder: Record<string, number> = { running: 0, draft: 1, stopped: 2 };

/** The answer to `status`: each campaign with its state and today's numbers, running ones first. */
export function buildStatusCard(report: StatusReport, consoleUrl: string): AdaptiveCard {
  const campaigns = [...report.campaigns].sort((a, b) => (statusOrder[a.status] ?? 3) - (statusOrder[b.status] ?? 3) || a.name.localeCompare(b.name));
  const shown = campaigns.slice(0, maxCampaignsShown);
  const running = campaigns.filter((campaign) => campaign.status === 'running').length;
  const day = cleanText(report.day, 20);
  return card({
    summary: `Status for ${day}: ${running} running campaign${running === 1 ? '' : 's'}${report.allSendingStopped ? ', all sending stopped' : ''}`,
    body: [
      heading(`Status: ${day} (UTC)`),
      ...(report.allSendingStopped
        ? ourText('**All sending is stopped** by the tenant kill switch.', { color: 'attention' })
        : ourText(`${running} of ${campaigns.length} campaign${campaigns.length === 1 ? ' is' : 's are'} running.`)),
      ...shown.map(campaignRow),
      ...(campaigns.length > shown.length
        ? ourText(`${campaigns.length - shown.length} more campaigns are in the console.`, { isSubtle: true })
        : []),
    ],
    actions: [openUrlButton('Open the console', consoleUrl)],
  });
}

function campaignRow(campaign: CampaignStatus): CardElement {
  const status = cleanText(campaign.status, 20);
  return stateRow(
    cleanText(campaign.name, textLimits.name),
    campaign.halted
      ? { text: `${status}, stopped by its kill switch`, weight: 'bolder', color: 'attention' }
      : { text: status, ...(campaign.status === 'running' && { color: 'good' as const }) },
    [
      {
        type: 'FactSet',
        facts: [
          { title: 'Sent today', value: String(campaign.sentToday) },
          { title: 'Awaiting approval', value: String(campaign.pendingApprovals) },
        ],
      },
    ],
  );
}
