import {
  type AdaptiveCard,
  card,
  type CardElement,
  cleanText,
  executeButton,
  heading,
  instant,
  labelled,
  ourText,
  percent,
  type RefreshAudience,
  textLimits,
} from './elements';
import { buttonsFor, type CardViewer } from './viewer';
import type { CanaryReport } from '@asep/shared/campaigns/canary-report';

interface Signal {
  name: string;
  count: number;
  limit: number;
}

/** The canary's signals against their thresholds, with Promote and Halt while it is running. */
export function buildCanaryCard(report: CanaryReport, audience: RefreshAudience & CardViewer = {}): AdaptiveCard {
  const signals: Signal[] = [
    { name: 'Bounces', count: report.bounces, limit: report.thresholds.bounceRate },
    { name: 'Unsubscribes', count: report.unsubscribes, limit: report.thresholds.unsubscribeRate },
    { name: 'Negative replies', count: report.negativeReplies, limit: report.thresholds.negativeRate },
  ];
  const breached = signals.filter((signal) => isBreached(signal, report.sent));
  const name = cleanText(report.campaignName, textLimits.name);
  const verdict =
    report.sent === 0
      ? 'Nothing has been sent yet.'
      : breached.length
        ? `Over the limit: ${breached.map((signal) => signal.name.toLowerCase()).join(', ')}. Halting is recommended.`
        : 'Every signal is within its limit.';
  const running = report.status === 'running';
  const { actions, absent } = buttonsFor(
    audience,
    running
      ? [
          executeButton(
            'Promote to full campaign',
            { action: 'canary.promote', campaignId: report.campaignId },
            { style: breached.length ? undefined : 'positive' },
          ),
          executeButton('Halt campaign', { action: 'canary.halt', campaignId: report.campaignId }, { style: 'destructive' }),
        ]
      : [],
  );
  return card({
    summary: `Canary for ${name}: ${running ? verdict : report.status}`,
    ...(running && { refresh: { data: { action: 'canary.refresh', campaignId: report.campaignId }, audience } }),
    body: [
      heading(
        running ? `Canary: ${name}` : `Canary ${report.status}: ${name}`,
        running ? {} : { color: report.status === 'promoted' ? 'good' : 'attention' },
      ),
      ...(running ? [] : decision(report)),
      ...ourText(`Sent to **${report.sent}** prospects. ${verdict}`, breached.length ? { color: 'attention' } : {}),
      signalTable(signals, report.sent),
      ...absent,
    ],
    actions,
  });
}

function isBreached(signal: Signal, sent: number): boolean {
  return sent > 0 && signal.count / sent > signal.limit;
}

function decision(report: CanaryReport): CardElement[] {
  return [...labelled('By', report.decidedBy), ...(report.decidedAt ? ourText(`Decided ${instant(report.decidedAt)}`, { isSubtle: true }) : [])];
}

function signalTable(signals: Signal[], sent: number): CardElement {
  const cell = (text: string, style: Record<string, unknown> = {}) => ({
    type: 'TableCell',
    items: [{ type: 'TextBlock', text, wrap: true, ...style }],
  });
  return {
    type: 'Table',
    spacing: 'medium',
    firstRowAsHeader: true,
    columns: [{ width: 3 }, { width: 2 }, { width: 2 }, { width: 2 }],
    rows: [
      { type: 'TableRow', cells: ['Signal', 'Count', 'Rate', 'Limit'].map((title) => cell(title, { weight: 'bolder' })) },
      ...signals.map((signal) => {
        const over = isBreached(signal, sent);
        return {
          type: 'TableRow',
          cells: [
            cell(over ? `${signal.name} (over)` : signal.name, over ? { color: 'attention', weight: 'bolder' } : {}),
            cell(String(signal.count)),
            cell(sent > 0 ? percent(signal.count / sent, 1) : '–'),
            cell(percent(signal.limit, 1)),
          ],
        };
      }),
    ],
  };
}
