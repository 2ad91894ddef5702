"use client";
import { QueryClient, QueryClientProvider, useMutation, useQuery } from "@tanstack/react-query";
import { createTaskClient } from "@tasks/client";
import { TaskTRPCProvider, useTaskChanges, useTaskTRPC } from "@tasks/client/react";
import { useState, type ReactNode } from "react";

export function TasksProvider(props: {
  apiUrl: string;
  getToken: () => Promise<string | null>;
  children: ReactNode;
}) {
  const [queryClient] = useState(() => new QueryClient());
  const [taskClient] = useState(() =>
    createTaskClient({ url: `${props.apiUrl}/trpc`, getToken: props.getToken }),
  );
  return (
    <QueryClientProvider client={queryClient}>
      <TaskTRPCProvider trpcClient={taskClient} queryClient={queryClient}>
        {props.children}
      </TaskTRPCProvider>
    </QueryClientProvider>
  );
}

export function PendingTasks() {
  const trpc = useTaskTRPC();
  const pending = useQuery(trpc.tasks.list.queryOptions({ status: "pending" }));
  // Changes from other tabs and devices land in the cached list as they happen.
  useTaskChanges();
  const toggle = useMutation(
    trpc.tasks.toggle.mutationOptions({ onSuccess: () => pending.refetch() }),
  );
  return (
    <ul>
      {pending.data?.items.map((task) => (
        <li key={task.id}>
          <button type="button" onClick={() => toggle.mutate({ id: task.id })}>
            {task.title}
          </button>
        </li>
      ))}
    </ul>
  );
}
