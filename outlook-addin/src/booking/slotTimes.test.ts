import { describe, expect, it } from 'vitest';
import { describeSlotIn, groupSlotsByDay, proposedTimesHtml } from './slotTimes';

// Monday 2 June 2025: 16:00 and 17:00 in Berlin are 10:00 and 11:00 in New York.
const monday = [
  { start: '2025-06-02T14:00:00Z', end: '2025-06-02T14:30:00Z' },
  { start: '2025-06-02T15:00:00Z', end: '2025-06-02T15:30:00Z' },
];
const lateTuesdayInNewYork = { start: '2025-06-04T01:00:00Z', end: '2025-06-04T01:30:00Z' };

describe('slot times', () => {
  it('groups slots by the day they fall on in the given zone', () => {
    const slots = [...monday, lateTuesdayInNewYork];

    expect(groupSlotsByDay(slots, 'America/New_York').map((day) => day.slots.length)).toEqual([2, 1]);
    expect(groupSlotsByDay(slots, 'Europe/Berlin').map((day) => day.slots.length)).toEqual([2, 1]);
    expect(groupSlotsByDay(slots, 'America/New_York')[1]!.day).toMatch(/Tue/);
    expect(groupSlotsByDay(slots, 'Europe/Berlin')[1]!.day).toMatch(/Wed/);
  });

  it('describes a slot in the prospect’s own time', () => {
    expect(describeSlotIn(monday[0]!, 'America/New_York')).toMatch(/^Mon.*Jun.*, 10:00.*–10:30.* New York time$/);
  });

  it('proposes the chosen times in a reply, escaping whatever could break the HTML', () => {
    const html = proposedTimesHtml(monday, 'America/New_York', 'Ana <3');

    expect(html).toContain('<p>Hi Ana &#60;3,</p>');
    expect(html.match(/<li>/g)).toHaveLength(2);
    expect(html).toMatch(/<li>Mon[^<]*10:00[^<]*New York time<\/li><li>Mon[^<]*11:00[^<]*New York time<\/li>/);
  });
});
