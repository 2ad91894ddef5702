"use client";
import { useMutation, useQueryClient } from "@tanstack/react-query";
import type { Task } from "@tasks/client";
import { useTaskTRPC } from "@tasks/client/react";
import { useState } from "react";
import { matches } from "./filters";
import { changeLists, restoreLists, type ListChange, type Snapshot } from "./optimistic";
import { messageOf } from "./problems";

const OPTIMISTIC_ID = "optimistic-";

export const isOptimistic = (task: Task) => task.id.startsWith(OPTIMISTIC_ID);

function draftTask(title: string): Task {
  const now = new Date().toISOString();
  const id = `${OPTIMISTIC_ID}${crypto.randomUUID()}`;
  return { id, title, description: null, completed: false, createdAt: now, updatedAt: now };
}

const replaced =
  (id: string, fields: Partial<Task>): ListChange =>
  (tasks, input) =>
    tasks.flatMap((task) => {
      if (task.id !== id) return [task];
      const next = { ...task, ...fields };
      return matches(input, next) ? [next] : [];
    });

const removed =
  (id: string): ListChange =>
  (tasks) =>
    tasks.filter((task) => task.id !== id);

/**
 * The list's mutations, each optimistic: every cached list changes at once, the
 * server's answer then replaces the guess (a refetch), and a refusal puts the lists
 * back and says why. Each action resolves to whether the server accepted it, so a
 * caller can give back what the user typed.
 */
export function useTaskActions() {
  const trpc = useTaskTRPC();
  const queryClient = useQueryClient();
  const listKey = trpc.tasks.list.pathKey();
  const [failure, setFailure] = useState<unknown>(null);

  const lifecycle = {
    onMutate: (change: ListChange) => {
      setFailure(null);
      return changeLists(queryClient, listKey, change);
    },
    onError: (error: unknown, snapshot: Snapshot | undefined) => {
      if (snapshot) restoreLists(queryClient, snapshot);
      setFailure(error);
    },
    // Not awaited: the action's outcome is known now, whatever the refetch takes.
    onSettled: () => void queryClient.invalidateQueries({ queryKey: listKey }),
  };

  const create = useMutation(
    trpc.tasks.create.mutationOptions({
      onMutate: ({ title }) =>
        lifecycle.onMutate((tasks, input, page) =>
          page === 0 && matches(input, { title, completed: false })
            ? [draftTask(title), ...tasks]
            : tasks,
        ),
      onError: (error, _input, snapshot) => lifecycle.onError(error, snapshot),
      onSettled: lifecycle.onSettled,
    }),
  );
  const update = useMutation(
    trpc.tasks.update.mutationOptions({
      onMutate: ({ id, ...fields }) => lifecycle.onMutate(replaced(id, fields as Partial<Task>)),
      onError: (error, _input, snapshot) => lifecycle.onError(error, snapshot),
      onSettled: lifecycle.onSettled,
    }),
  );
  const remove = useMutation(
    trpc.tasks.delete.mutationOptions({
      onMutate: ({ id }) => lifecycle.onMutate(removed(id)),
      onError: (error, _input, snapshot) => lifecycle.onError(error, snapshot),
      onSettled: lifecycle.onSettled,
    }),
  );

  const accepted = (promise: Promise<unknown>) =>
    promise.then(
      () => true,
      () => false,
    );

  return {
    failure,
    failureMessage: failure ? messageOf(failure) : null,
    dismissFailure: () => setFailure(null),
    create: (title: string) => accepted(create.mutateAsync({ title })),
    rename: (task: Task, title: string) => accepted(update.mutateAsync({ id: task.id, title })),
    setCompleted: (task: Task, completed: boolean) =>
      accepted(update.mutateAsync({ id: task.id, completed })),
    remove: (task: Task) => accepted(remove.mutateAsync({ id: task.id })),
  };
}
