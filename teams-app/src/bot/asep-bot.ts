import { randomUUID } from 'node:crypto';
import { type Activity, CardFactory, type ChannelAccount, type InvokeResponse, MessageFactory, TeamsActivityHandler, TurnContext } from 'botbuilder';
import type { AdaptiveCard } from '../cards/elements';
import { buildErrorCard, buildHelpCard } from '../cards/message-cards';
import type { BotBackend, BotCaller, ConversationPlace } from './backend';
import { answerCardAction } from './card-actions';
import { answerCommand, type BotReply } from './command-replies';

/** The invoke response Teams expects to an `Action.Execute`: the card that replaces the pressed one. */
export function cardInvokeResponse(card: AdaptiveCard): InvokeResponse {
  return { status: 200, body: { statusCode: 200, type: 'application/vnd.microsoft.card.adaptive', value: card } };
}

export function cardMessage(card: AdaptiveCard): Partial<Activity> {
  return MessageFactory.attachment(CardFactory.adaptiveCard(card), undefined, card.fallbackText);
}

/**
 * The managers' bot: text commands, `Action.Execute` presses and where-to-reach-whom bookkeeping. It only maps
 * Teams activities onto `answerCommand` / `answerCardAction` and the backend; it holds no state of its own, so
 * one instance per request is fine.
 */
export class AsepBot extends TeamsActivityHandler {
  constructor(
    private readonly backend: BotBackend,
    private readonly log: (line: string) => void,
  ) {
    super();
    this.onMessage(async (context, next) => {
      await this.answerMessage(context);
      await next();
    });
    this.onInstallationUpdateAdd(async (context, next) => {
      const place = await this.remember(context, await this.caller(context));
      if (place?.scope === 'personal') await context.sendActivity(cardMessage(buildHelpCard()));
      await next();
    });
    this.onInstallationUpdateRemove(async (context, next) => {
      await this.forget(context);
      await next();
    });
    this.onConversationUpdate(async (context, next) => {
      const { membersAdded, membersRemoved, recipient } = context.activity;
      const isBot = (member: ChannelAccount) => member.id === recipient?.id;
      if (membersAdded?.some(isBot)) await this.remember(context, await this.caller(context));
      if (membersRemoved?.some(isBot)) await this.forget(context);
      await next();
    });
  }

  protected override async onInvokeActivity(context: TurnContext): Promise<InvokeResponse> {
    if (context.activity.name !== 'adaptiveCard/action') return super.onInvokeActivity(context);
    const data = (context.activity.value as { action?: { data?: unknown } } | undefined)?.action?.data;
    try {
      return cardInvokeResponse(await answerCardAction(this.backend, await this.caller(context), data));
    } catch (error) {
      return cardInvokeResponse(this.failure(context, error));
    }
  }

  private async answerMessage(context: TurnContext): Promise<void> {
    let caller: BotCaller;
    let place: ConversationPlace | undefined;
    let replies: BotReply[];
    try {
      caller = await this.caller(context);
      place = await this.remember(context, caller);
      replies = await answerCommand(this.backend, caller, context.activity.text);
    } catch (error) {
      await context.sendActivity(cardMessage(this.failure(context, error)));
      return;
    }
    for (const reply of replies) {
      // One message per card: Teams replaces the one card an Action.Execute came from, and a multi-card
      // message would lose its siblings.
      const sent = await context.sendActivity('text' in reply ? MessageFactory.text(reply.text) : cardMessage(reply.card));
      if ('approvalId' in reply && reply.approvalId && sent?.id && caller.user && place) {
        const reference = { ...TurnContext.getConversationReference(context.activity), activityId: sent.id };
        await this.backend.rememberApprovalCard(caller.user, place, reply.approvalId, reference);
      }
    }
  }

  private async caller(context: TurnContext): Promise<BotCaller> {
    const { activity } = context;
    const channelData = activity.channelData as { tenant?: { id?: string } } | undefined;
    const user = await this.backend.identify({
      tenantId: activity.conversation?.tenantId ?? channelData?.tenant?.id,
      aadObjectId: activity.from?.aadObjectId,
      name: activity.from?.name,
    });
    return { user, viewerIds: activity.from?.id ? [activity.from.id] : [] };
  }

  /** Stores how to reach this personal chat or team later; answers where that is, or nothing for a place the bot does not keep. */
  private async remember(context: TurnContext, caller: BotCaller): Promise<ConversationPlace | undefined> {
    const place = placeOf(context.activity);
    if (place && caller.user) await this.backend.rememberConversation(caller.user, place, TurnContext.getConversationReference(context.activity));
    return place;
  }

  private async forget(context: TurnContext): Promise<void> {
    const place = placeOf(context.activity);
    const { user } = await this.caller(context);
    if (place && user) await this.backend.forgetConversation(user, place);
  }

  private failure(context: TurnContext, error: unknown): AdaptiveCard {
    const reference = context.activity.id ?? randomUUID();
    this.log(
      `bot: ${context.activity.type} ${context.activity.name ?? ''} failed (reference ${reference}): ${(error as Error)?.stack ?? String(error)}`,
    );
    return buildErrorCard(`Something went wrong on our side. Try again in a moment; if it keeps happening, quote reference ${reference}.`);
  }
}

function placeOf(activity: Partial<Activity>): ConversationPlace | undefined {
  const teamId = (activity.channelData as { team?: { id?: string } } | undefined)?.team?.id;
  switch (activity.conversation?.conversationType) {
    case 'personal':
      return { scope: 'personal' };
    case 'channel':
      return teamId ? { scope: 'team', teamId } : undefined;
    default:
      return undefined;
  }
}
