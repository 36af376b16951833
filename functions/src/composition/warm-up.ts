import { dateParsingWarmUps } from '@asep/shared/classification/extract-ooo';

let started: Promise<void> | undefined;

/**
 * Prepares at start-up what would otherwise hold the event loop the first time it is needed (the reply
 * classifier's date parsers: ~0.7 s of CPU in one stretch, during the first out-of-office notices), one short
 * step per turn of the loop, so requests arriving meanwhile, a Graph webhook's 202 among them, are answered
 * between the steps. Once per process; a second call joins the first.
 */
export function warmUp(): Promise<void> {
  started ??= (async () => {
    for (const step of dateParsingWarmUps()) {
      await new Promise((resolve) => setImmediate(resolve));
      step();
    }
  })();
  return started;
}
