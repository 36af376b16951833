import type { Activity } from 'botbuilder';
import { TestAdapter } from 'botbuilder';
import type { AsepBot } from '@asep/teams-app/bot/asep-bot';
import { executeButtons } from '@asep/teams-app/cards/card-conformance';
import type { AdaptiveCard } from '@asep/teams-app/cards/elements';

export interface TeamsPerson {
  aadObjectId: string;
  name: string;
}

/**
 * Test support: one person's personal chat with the bot in Teams, driven through botbuilder's TestAdapter.
 * Messages and button presses arrive shaped as Teams sends them (tenant, Entra object id, `Action.Execute`
 * invokes with the card's inputs merged into the button's data).
 */
export class TeamsChat {
  private readonly adapter: TestAdapter;

  constructor(bot: AsepBot, person: TeamsPerson, tenantId: string, serviceUrl: string) {
    this.adapter = new TestAdapter((context) => bot.run(context), {
      channelId: 'msteams',
      serviceUrl,
      from: { id: `29:${person.aadObjectId}`, name: person.name, aadObjectId: person.aadObjectId },
      recipient: { id: '28:asep-bot', name: 'ASEP' },
      conversation: { id: `a:personal-${person.aadObjectId}`, conversationType: 'personal', tenantId, isGroup: false, name: '' },
      channelData: { tenant: { id: tenantId } },
    });
  }

  /** Types a message; answers the bot's messages in order. */
  async say(text: string): Promise<Partial<Activity>[]> {
    await this.adapter.processActivity({ type: 'message', text });
    return this.adapter.activeQueue.splice(0);
  }

  /** Sends `Action.Execute` data as is (well-formed or not); answers the card Teams would show in its place. */
  async invoke(data: unknown): Promise<AdaptiveCard> {
    await this.adapter.processActivity({
      type: 'invoke',
      name: 'adaptiveCard/action',
      value: { action: { type: 'Action.Execute', verb: 'anything', data } },
    });
    const replies = this.adapter.activeQueue.splice(0);
    const response = replies.find((activity) => activity.type === 'invokeResponse')?.value as {
      status: number;
      body: { type: string; value: AdaptiveCard };
    };
    if (response?.status !== 200 || response.body.type !== 'application/vnd.microsoft.card.adaptive') {
      throw new Error(`expected a card in the invoke response, got ${JSON.stringify(response)}`);
    }
    return response.body.value;
  }

  /** Presses the button with this title, with the card's inputs filled in as given. */
  async press(card: AdaptiveCard, title: string, inputs: Record<string, string> = {}): Promise<AdaptiveCard> {
    const button = executeButtons(card).find((candidate) => candidate.title === title);
    if (!button)
      throw new Error(
        `no "${title}" button; the card has ${executeButtons(card)
          .map((candidate) => candidate.title)
          .join(', ')}`,
      );
    return this.invoke(button.associatedInputs === 'none' ? button.data : { ...inputs, ...button.data });
  }
}

/** The adaptive cards among the bot's messages. */
export function cardsIn(activities: Partial<Activity>[]): AdaptiveCard[] {
  return activities.flatMap((activity) =>
    (activity.attachments ?? [])
      .filter((attachment) => attachment.contentType === 'application/vnd.microsoft.card.adaptive')
      .map((attachment) => attachment.content as AdaptiveCard),
  );
}
