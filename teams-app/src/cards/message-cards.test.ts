import { describe, expect, it } from 'vitest';
import { expectValidCard, visibleText } from './card-conformance';
import { buildErrorCard, buildHelpCard, buildNotAllowedCard, buildNotFoundCard } from './message-cards';

describe('message cards', () => {
  it('help lists the commands', () => {
    const card = buildHelpCard();
    expectValidCard(card);
    const text = visibleText(card);
    for (const command of ['pending', 'status', 'kill switch', 'help']) expect(text).toContain(`${command}: `);
    expect(text).not.toContain("I don't know");
  });

  it('help first says which text it did not understand, verbatim', () => {
    const card = buildHelpCard({ unrecognised: 'aprove *all*' });
    expectValidCard(card);
    expect(visibleText(card)).toContain(`I don't know "aprove *all*".`);
  });

  it('a refusal names what was refused and the roles that may do it', () => {
    const card = buildNotAllowedCard('killswitch.tenant');
    expectValidCard(card);
    expect(visibleText(card)).toContain("You can't turn the kill switch for all sending on or off.");
    expect(visibleText(card)).toContain('**Owner, Admin**');
    expect(visibleText(buildNotAllowedCard('approvals.decide'))).toContain('**Owner, Admin, RevOps, Manager**');
  });

  it('not found says the item may have expired', () => {
    const card = buildNotFoundCard('approval');
    expectValidCard(card);
    expect(visibleText(card)).toContain('That approval was not found: it may have expired or been removed.');
  });

  it('an error card shows the problem as plain text and says nothing changed', () => {
    const card = buildErrorCard('approval.reject: reason is required');
    expectValidCard(card);
    expect(visibleText(card)).toContain('approval.reject: reason is required');
    expect(visibleText(card)).toContain('Nothing was changed.');
  });
});
