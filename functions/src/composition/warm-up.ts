import { classifyReply } from '@asep/shared/classification/classify';
import { dateParsingWarmUps } from '@asep/shared/classification/extract-ooo';

/** One reply of each common kind: reading them compiles the classifier's cue and rule patterns. */
const sampleReplies = [
  'Sounds interesting, can we talk next Tuesday at 10?',
  'Not interested, we already use another vendor and the budget is gone.',
  'Please remove me from your list and stop emailing me.',
  'I am out of the office until Monday with limited access to email. Please contact Jane Doe (jane@example.com).',
  'Thanks. Who else should I loop in?',
];

function classifierWarmUps(): (() => void)[] {
  return sampleReplies.map((body) => () => {
    for (let pass = 0; pass < 2; pass += 1) {
      classifyReply({ subject: 'Re: Hello', body, from: 'Sam Example <sam@example.com>', date: '2026-01-05T09:00:00+01:00' });
    }
  });
}

let started: Promise<void> | undefined;

/**
 * Prepares at start-up what would otherwise hold the event loop the first time it is needed (the reply
 * classifier's patterns and date parsers: ~0.7 s of CPU in long stretches, during the first replies), one
 * short step per turn of the loop, so requests arriving meanwhile, a Graph webhook's 202 among them, are
 * answered between the steps. Once per process; a second call joins the first.
 */
export function warmUp(): Promise<void> {
  started ??= (async () => {
    for (const step of [...classifierWarmUps(), ...dateParsingWarmUps()]) {
      await new Promise((resolve) => setImmediate(resolve));
      step();
    }
  })();
  return started;
}
