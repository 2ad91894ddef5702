"use client";
import { QueryClient, QueryClientProvider } from "@tanstack/react-query";
import { createTaskClient, createTokenCache } from "@tasks/client";
import { TaskTRPCProvider } from "@tasks/client/react";
import { useState, type ReactNode } from "react";
import { authClient } from "@/auth/client";
import { problemOf, SessionExpiredError } from "./problems";

/** Better Auth's JWT for the signed-in user; a session that is gone is an expired session. */
async function fetchToken(): Promise<string> {
  const { data, error } = await authClient.token();
  if (error?.status === 401) throw new SessionExpiredError();
  if (error || !data) throw new Error(error?.message ?? "Better Auth gave no token.");
  return data.token;
}

function createQueryClient(): QueryClient {
  return new QueryClient({
    defaultOptions: {
      queries: {
        staleTime: 5_000,
        // An unreachable API is retried by polling (see TaskApp); other failures are answers.
        retry: (failures, error) => failures < 2 && problemOf(error) === "offline",
      },
    },
  });
}

export function TasksProvider(props: { apiUrl: string; children: ReactNode }) {
  const [queryClient] = useState(createQueryClient);
  const [taskClient] = useState(() => {
    const tokens = createTokenCache({ fetchToken });
    return createTaskClient({
      url: `${props.apiUrl}/trpc`,
      getToken: () => tokens.getToken(),
      onUnauthorized: () => tokens.invalidate(),
    });
  });
  return (
    <QueryClientProvider client={queryClient}>
      <TaskTRPCProvider trpcClient={taskClient} queryClient={queryClient}>
        {props.children}
      </TaskTRPCProvider>
    </QueryClientProvider>
  );
}
