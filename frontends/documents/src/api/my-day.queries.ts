/**
 * "My day" (home): documents waiting for my decision and for my acknowledgement — one request for both, each
 * earliest deadline first. The document is in my-day.graphql; its types are generated (`pnpm codegen`).
 */
export { MyDayDocumentsDocument as MY_DAY_DOCUMENTS } from './__generated__/my-day';

export const MY_DAY_SIZE = 5;
