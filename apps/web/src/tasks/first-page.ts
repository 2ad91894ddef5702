import { createTaskClient, type TaskPage } from "@tasks/client";
import { tokenOf } from "@/auth/server";
import { webEnv } from "@/env";
import { listInput, type ListView } from "./filters";
import { problemOf, type Problem } from "./problems";

export type FirstPage = { ok: true; page: TaskPage } | { ok: false; problem: Problem };

/**
 * The first page for a server-rendered request: the user's JWT is minted here from
 * their session cookie and the API is called over HTTP, exactly as the browser
 * calls it, so the API stays the one place that verifies tokens and owns the data.
 */
export async function firstPage(headers: Headers, view: ListView): Promise<FirstPage> {
  const token = await tokenOf(headers);
  if (!token) return { ok: false, problem: "expired" };
  const tasks = createTaskClient({ url: `${webEnv().apiInternalUrl}/trpc`, getToken: () => token });
  try {
    return { ok: true, page: await tasks.tasks.list.query(listInput(view)) };
  } catch (error) {
    return { ok: false, problem: problemOf(error) ?? "other" };
  }
}
