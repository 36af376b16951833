import type { ReliabilityBand } from '@asep/shared/classification/reliability';
import type { ReplyLabel } from '@asep/shared/classification/labels';
import { replyLabelNames } from '@asep/shared/client/reply-labels';
import { defaultDealThresholds } from '@asep/shared/policy/deal-thresholds';

export interface ConfidenceReading {
  percent: string;
  level: 'High' | 'Moderate' | 'Low';
  /** What the number means, in words a rep can act on. */
  meaning: string;
}

/**
 * Puts a calibrated confidence into words. Calibrated means frequencies: of past replies scored this way, this
 * share really had the label. The levels follow the default deal policy's thresholds (create / ask a Manager).
 */
export function readConfidence(label: ReplyLabel, confidence: number, reliability?: ReliabilityBand): ConfidenceReading {
  // The reliability table says how often held-out replies scored in this band really had their label.
  const share = reliability && reliability.replies > 0 ? reliability.correct / reliability.replies : confidence;
  const outOf100 = Math.round(Math.min(1, Math.max(0, share)) * 100);
  const { createThreshold, askThreshold } = defaultDealThresholds;
  const level = confidence >= createThreshold ? 'High' : confidence >= askThreshold ? 'Moderate' : 'Low';
  const advice = {
    High: 'Safe to act on.',
    Moderate: 'Worth a quick read before acting.',
    Low: 'Read the reply yourself; correct the label if it is wrong.',
  }[level];
  return {
    percent: `${outOf100}%`,
    level,
    meaning: `About ${outOf100} in 100 replies scored like this one really are ${replyLabelNames[label].toLowerCase()}${
      reliability
        ? ` (${reliability.correct} of ${reliability.replies} held-out replies scored ${Math.round(reliability.lower * 100)}–${Math.round(reliability.upper * 100)}%)`
        : ''
    }. ${advice}`,
  };
}

/** "From Jane Doe <jane@x>", or "From jane@x" when Outlook's display name is only the address again. */
export function senderLine(from: { name: string; email: string }): string {
  const email = from.email.trim();
  // A display name that repeats the address ("jane@x", "'jane@x' <jane@x>") says nothing the address does not.
  const repeated = email ? new RegExp(email.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'), 'gi') : undefined;
  const name = (repeated ? from.name.replace(repeated, '') : from.name).replace(/[\s"'<>()[\]]+/g, ' ').trim();
  if (!name) return `From ${email}`;
  return email ? `From ${name} <${email}>` : `From ${name}`;
}
