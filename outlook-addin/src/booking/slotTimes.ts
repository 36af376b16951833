import type { Availability } from '@asep/shared/insights/insight';
import { formatDay, formatTimeRange, zoneCity } from '../display/dates';

export type Slot = Availability['slots'][number];

export interface SlotDay {
  day: string;
  slots: Slot[];
}

/** Slots grouped under the day they fall on in `timeZone`, keeping their order. */
export function groupSlotsByDay(slots: readonly Slot[], timeZone: string): SlotDay[] {
  const days: SlotDay[] = [];
  for (const slot of slots) {
    const day = formatDay(slot.start, timeZone);
    const last = days.at(-1);
    if (last?.day === day) last.slots.push(slot);
    else days.push({ day, slots: [slot] });
  }
  return days;
}

/** A slot as the other side of the conversation reads it: `Tue 10 Jun, 10:00–10:30 New York time`. */
export function describeSlotIn(slot: Slot, timeZone: string): string {
  return `${formatDay(slot.start, timeZone)}, ${formatTimeRange(slot.start, slot.end, timeZone)} ${zoneCity(timeZone)} time`;
}

/** The start of a reply proposing `slots`, in the prospect's time zone (or the rep's when theirs is unknown). */
export function proposedTimesHtml(slots: readonly Slot[], timeZone: string, prospectFirstName?: string): string {
  const greeting = prospectFirstName ? `Hi ${escapeHtml(prospectFirstName)},` : 'Hi,';
  const items = slots.map((slot) => `<li>${escapeHtml(describeSlotIn(slot, timeZone))}</li>`).join('');
  return `<p>${greeting}</p><p>Would one of these times work for a call?</p><ul>${items}</ul><p>I'll send an invitation with a Teams link for the one you pick.</p>`;
}

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (char) => `&#${char.charCodeAt(0)};`);
}
