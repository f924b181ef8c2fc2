import type { RebuildableReadModel } from '@kartoteka/kit';
import { resetTimeline, timelineHandlers } from './timeline.projection';

/**
 * `events rebuild-timeline`: the backfill of an existing install. Empties what the projection learnt from events,
 * re-derives the counterparties' own entries from their history, and replays every stored event of the timeline's
 * topics from the bus (kit's replayHistory). Idempotent; the live consumer may keep running meanwhile.
 */
export const TIMELINE_READ_MODEL: RebuildableReadModel = { handlers: timelineHandlers(), reset: resetTimeline };
