import { headers } from "next/headers";
import { SignInForm } from "@/auth/sign-in-form";
import { sessionOf } from "@/auth/server";
import { webEnv } from "@/env";
import { firstPage } from "@/tasks/first-page";
import { viewOf } from "@/tasks/filters";
import { TaskApp } from "@/tasks/task-app";
import { TasksProvider } from "@/tasks/provider";

type SearchParams = Promise<Record<string, string | string[] | undefined>>;

/** Signed out: the sign-in form. Signed in: the list, its first page rendered here. */
export default async function Home(props: { searchParams: SearchParams }) {
  const requestHeaders = await headers();
  const session = await sessionOf(requestHeaders);
  if (!session) return <SignInForm />;
  const params = await props.searchParams;
  const view = viewOf({ get: (name) => [params[name]].flat()[0] ?? null });
  const first = await firstPage(requestHeaders, view);
  return (
    <TasksProvider apiUrl={webEnv().apiUrl}>
      <TaskApp email={session.user.email} first={first} firstView={view} />
    </TasksProvider>
  );
}
