// Messages between the bench and its subscriber process (Node IPC, JSON).
import type { StreamReceipts } from "./delivery.ts";

export interface StreamSpec {
  readonly url: string;
  readonly token: string;
  readonly user: number;
}

export type ToSubscriber =
  | { readonly type: "open"; readonly streams: readonly StreamSpec[] }
  /** Wait until `receipts` events arrived in all (or `timeoutMs` passed), then report. */
  | { readonly type: "drain"; readonly receipts: number; readonly timeoutMs: number };

export type FromSubscriber =
  | { readonly type: "opened" }
  | { readonly type: "failed"; readonly error: string }
  | {
      readonly type: "report";
      readonly streams: readonly StreamReceipts[];
      /** Streams that ended, failed or saw `reset` while they should have stayed open. */
      readonly errors: readonly string[];
    };
