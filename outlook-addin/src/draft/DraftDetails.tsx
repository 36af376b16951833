import { Body1, Caption1, Link, MessageBar, MessageBarBody, MessageBarTitle, Text, makeStyles, tokens } from '@fluentui/react-components';
import type { DraftInsight } from '@asep/shared/insights/insight';
import { factSourceName } from '@asep/shared/client/fact-sources';
import { formatDateTime } from '../display/dates';
import { NextStep, ProspectAndSequence } from '../insight/InsightDetails';
import { Section } from '../insight/Section';

const useStyles = makeStyles({
  sentences: { margin: 0, paddingInlineStart: tokens.spacingHorizontalL, display: 'grid', gap: tokens.spacingVerticalM },
  sentence: {
    margin: 0,
    paddingInlineStart: tokens.spacingHorizontalS,
    borderInlineStartWidth: tokens.strokeWidthThicker,
    borderInlineStartStyle: 'solid',
    borderInlineStartColor: tokens.colorBrandStroke1,
  },
  facts: { margin: 0, marginBlockStart: tokens.spacingVerticalXXS, paddingInlineStart: tokens.spacingHorizontalL },
});

type Fact = DraftInsight['facts'][number];

function authorNote(author: DraftInsight['author']): { offline: boolean; text: string } {
  switch (author.kind) {
    case 'offline':
      return {
        offline: true,
        text: `No model wrote this: ASEP put the facts below into your template${author.fallbackReason ? `, because ${author.fallbackReason}` : ''}. Read it before you send it.`,
      };
    case 'model':
      return { offline: false, text: `Written by your Azure OpenAI deployment${author.deployment ? ` ${author.deployment}` : ''} from the facts below.` };
    case 'approver':
      return { offline: false, text: 'Edited by the approver before it was approved.' };
    case 'template':
      return { offline: false, text: 'Your template’s wording, with no researched facts.' };
  }
}

/** An email ASEP drafted: each sentence with the facts it rests on (where each was read, and when), and who wrote it. */
export function DraftDetails({ draft }: { draft: DraftInsight }) {
  const styles = useStyles();
  const note = authorNote(draft.author);
  const factsById = new Map(draft.facts.flatMap((fact) => (fact.id ? [[fact.id, fact] as const] : [])));
  return (
    <>
      <Section title="Draft">
        <Body1>
          {draft.status === 'sent' ? 'ASEP wrote this email to ' : 'ASEP drafted this email to '}
          <Text weight="semibold">{draft.to}</Text>
          {draft.status === 'sent' ? '; it has been sent.' : '.'}
        </Body1>
        {note.offline ? (
          <MessageBar intent="warning" layout="multiline">
            <MessageBarBody>
              <MessageBarTitle>Written by the offline drafter</MessageBarTitle>
              {note.text}
            </MessageBarBody>
          </MessageBar>
        ) : (
          <Caption1>{note.text}</Caption1>
        )}
      </Section>
      <Section title="Evidence">
        <ol className={styles.sentences} aria-label="Sentences and the facts they rest on">
          {draft.sentences.map((sentence, index) => (
            <li key={index}>
              <blockquote className={styles.sentence}>
                <Body1>{sentence.text}</Body1>
              </blockquote>
              {sentence.factIds.length === 0 ? (
                <Caption1>Your template’s wording: no fact needed.</Caption1>
              ) : (
                <ul className={styles.facts} aria-label="Facts">
                  {sentence.factIds.map((id) => (
                    <li key={id}>
                      <FactLine fact={factsById.get(id)} />
                    </li>
                  ))}
                </ul>
              )}
            </li>
          ))}
        </ol>
      </Section>
      <ProspectAndSequence prospect={draft.prospect} sequence={draft.sequence} />
      <NextStep nextAction={draft.nextAction} />
    </>
  );
}

function FactLine({ fact }: { fact: Fact | undefined }) {
  if (!fact) return <Caption1>A fact this sentence cited is no longer stored: check the claim yourself.</Caption1>;
  const source = factSourceName(fact.source);
  return (
    <Caption1>
      {fact.fact} —{' '}
      {fact.url ? (
        <Link href={fact.url} target="_blank" rel="noreferrer" inline>
          {source}
        </Link>
      ) : (
        source
      )}
      {fact.recordId && <> (record {fact.recordId})</>}
      {fact.retrievedAt && <>, read {formatDateTime(fact.retrievedAt)}</>}
    </Caption1>
  );
}
