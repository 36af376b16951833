/**
 * The default confidence thresholds for deals, apart from the policy schema so a front end can read them without
 * bundling the whole schema: at or above `createThreshold` a deal is created, at or above `askThreshold` a
 * Manager is asked.
 */
export const defaultDealThresholds = { createThreshold: 0.85, askThreshold: 0.65 } as const;
