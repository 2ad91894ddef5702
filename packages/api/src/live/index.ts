// `@tasks/api/live`: what a host needs to serve live updates.
export { openTaskFeed, streamStart, type FeedItem, type FeedSettings } from "./change-feed.ts";
export {
  createLiveUpdates,
  startNotifier,
  type LiveUpdates,
  type NotifierChoice,
} from "./live-updates.ts";
export { InProcessNotifier, type ChangeNotifier } from "./notifier.ts";
export { MIN_RETENTION_MS, purgeOldEvents } from "./retention.ts";
