/**
 * `npm run soak`: a 200-prospect campaign through at least 10 SIGKILLs at random moments, counted by what the
 * sandbox mailbox sent. Prints the figures and fails on any duplicate or lost send.
 */
import { crashSoak } from '../support/crash-soak';

const prospects = Number(process.env.SOAK_PROSPECTS ?? 200);
const kills = Number(process.env.SOAK_KILLS ?? 10);

crashSoak({ prospects, kills, maxRunMs: 3_000, log: (line) => console.log(line) }).then(
  (result) => {
    console.log(
      `crash soak: ${result.prospects} prospects, ${result.kills} kills, ${result.sent} sent, ${result.duplicates.length} duplicates, ${result.lost.length} lost`,
    );
    if (result.duplicates.length > 0) console.log(`duplicates: ${result.duplicates.join(', ')}`);
    if (result.lost.length > 0) console.log(`lost: ${result.lost.join(', ')}`);
    process.exit(result.duplicates.length === 0 && result.lost.length === 0 && result.sent === result.prospects ? 0 : 1);
  },
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
