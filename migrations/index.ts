import type { Migration } from "kysely";
import * as initial from "./2026-11-22T00-00-00Z-initial.js";
import * as reportIndexes from "./2026-11-22T01-00-00Z-report-indexes.js";
import * as dropEventsStored from "./2026-11-22T02-00-00Z-drop-deliveries-events-stored.js";
import * as redeliveryRequests from "./2026-11-22T03-00-00Z-redelivery-requests.js";
import * as backfillThreads from "./2026-11-22T04-00-00Z-backfill-threads.js";
import * as requestClosedUnanswered from "./2026-12-02T10-00-00Z-request-closed-unanswered.js";
import * as firstMentorResponse from "./2026-12-02T11-00-00Z-first-mentor-response.js";
import * as workerHeartbeats from "./2026-12-02T13-00-00Z-worker-heartbeats.js";
import * as insights from "./2026-12-02T14-00-00Z-insights.js";
import * as lifecycle from "./2026-12-02T15-00-00Z-lifecycle.js";
import * as payloadRetention from "./2026-12-02T16-00-00Z-payload-retention.js";
import * as dashboardMenteeRequests from "./2026-12-02T17-00-00Z-dashboard-mentee-requests.js";
import * as dirtyThreads from "./2026-12-02T18-00-00Z-dirty-threads.js";
import * as waitingIndexFirstMentor from "./2026-12-02T19-00-00Z-waiting-index-first-mentor.js";
import * as deliveryInbox from "./2026-12-03T09-00-00Z-delivery-inbox.js";

/** Every migration, by name. Names sort in the order they run; add new ones at the end. */
export const migrations: Record<string, Migration> = {
  "2026-11-22T00-00-00Z-initial": initial,
  "2026-11-22T01-00-00Z-report-indexes": reportIndexes,
  "2026-11-22T02-00-00Z-drop-deliveries-events-stored": dropEventsStored,
  "2026-11-22T03-00-00Z-redelivery-requests": redeliveryRequests,
  "2026-11-22T04-00-00Z-backfill-threads": backfillThreads,
  "2026-12-02T10-00-00Z-request-closed-unanswered": requestClosedUnanswered,
  "2026-12-02T11-00-00Z-first-mentor-response": firstMentorResponse,
  "2026-12-02T13-00-00Z-worker-heartbeats": workerHeartbeats,
  "2026-12-02T14-00-00Z-insights": insights,
  "2026-12-02T15-00-00Z-lifecycle": lifecycle,
  "2026-12-02T16-00-00Z-payload-retention": payloadRetention,
  "2026-12-02T17-00-00Z-dashboard-mentee-requests": dashboardMenteeRequests,
  "2026-12-02T18-00-00Z-dirty-threads": dirtyThreads,
  "2026-12-02T19-00-00Z-waiting-index-first-mentor": waitingIndexFirstMentor,
  "2026-12-03T09-00-00Z-delivery-inbox": deliveryInbox,
};
