import { createTaskClient } from "@tasks/client";

export async function tour(apiUrl: string, getToken: () => Promise<string | null>) {
  const tasks = createTaskClient({ url: `${apiUrl}/trpc`, getToken });

  const task = await tasks.tasks.create.mutate({ title: "Try the typed client" });
  await tasks.tasks.toggle.mutate({ id: task.id });
  const { items, nextCursor } = await tasks.tasks.list.query({ status: "completed", limit: 10 });
  return { created: task, completed: items, nextCursor };
}
