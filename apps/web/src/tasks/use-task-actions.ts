"use client";
import { useMutation, useQueryClient } from "@tanstack/react-query";
import type { Task } from "@tasks/client";
import { useTaskTRPC } from "@tasks/client/react";
import { useRef, useState } from "react";
import { matches } from "./filters";
import {
  changeCounts,
  changeLists,
  restoreLists,
  type CountsChange,
  type ListChange,
  type Snapshot,
} from "./optimistic";
import { messageOf, problemOf } from "./problems";

const OPTIMISTIC_ID = "optimistic-";

export const isOptimistic = (task: Task) => task.id.startsWith(OPTIMISTIC_ID);

function draftTask(title: string): Task {
  const now = new Date().toISOString();
  const id = `${OPTIMISTIC_ID}${crypto.randomUUID()}`;
  const fields = { description: null, completed: false, version: 1 };
  return { id, title, ...fields, createdAt: now, updatedAt: now };
}

const replaced =
  (matchesTask: (task: Task) => boolean, fields: Partial<Task>): ListChange =>
  (tasks, input) =>
    tasks.flatMap((task) => {
      if (!matchesTask(task)) return [task];
      const next = { ...task, ...fields };
      return matches(input, next) ? [next] : [];
    });

const removed =
  (matchesTask: (task: Task) => boolean): ListChange =>
  (tasks) =>
    tasks.filter((task) => !matchesTask(task));

const flipped =
  (completed: boolean): CountsChange =>
  ({ all, pending, completed: done }) => {
    const delta = completed ? 1 : -1;
    return { all, pending: pending - delta, completed: done + delta };
  };

/** An unreachable API is worth retrying a create for: its idempotency key makes that safe. */
const retryOffline = (failures: number, error: unknown) =>
  failures < 2 && problemOf(error) === "offline";

/**
 * The list's mutations, each optimistic: every cached list changes at once, the
 * server's answer then replaces the guess (a refetch of the lists and counts), and a
 * refusal puts the lists back and says why. Each action resolves to whether the
 * server accepted it, so a caller can give back what the user typed. Writes to one
 * task carry the version the user saw: a task changed elsewhere meanwhile is not
 * overwritten (412), and the refetch shows its current state.
 */
export function useTaskActions() {
  const trpc = useTaskTRPC();
  const queryClient = useQueryClient();
  const listKey = trpc.tasks.list.pathKey();
  const countsKey = trpc.tasks.counts.pathKey();
  const [failure, setFailure] = useState<unknown>(null);
  // One key per title being created, kept across failed attempts: resending the same
  // text after an outage is the same create, never a second task.
  const createKeys = useRef(new Map<string, string>());

  const lifecycle = {
    onMutate: async (change: ListChange, countsChange?: CountsChange): Promise<Snapshot> => {
      setFailure(null);
      const lists = await changeLists(queryClient, listKey, change);
      if (!countsChange) return lists;
      return [...lists, ...(await changeCounts(queryClient, countsKey, countsChange))];
    },
    onError: (error: unknown, snapshot: Snapshot | undefined) => {
      if (snapshot) restoreLists(queryClient, snapshot);
      setFailure(error);
    },
    // Not awaited: the action's outcome is known now, whatever the refetch takes.
    onSettled: () => void queryClient.invalidateQueries({ queryKey: trpc.tasks.pathKey() }),
  };
  const onError = (error: unknown, _input: unknown, snapshot: Snapshot | undefined) =>
    lifecycle.onError(error, snapshot);

  const create = useMutation(
    trpc.tasks.create.mutationOptions({
      retry: retryOffline,
      onMutate: ({ title }) =>
        lifecycle.onMutate(
          (tasks, input, page) =>
            page === 0 && matches(input, { title, completed: false })
              ? [draftTask(title), ...tasks]
              : tasks,
          (counts) => ({ ...counts, all: counts.all + 1, pending: counts.pending + 1 }),
        ),
      onSuccess: (_task, { title }) => createKeys.current.delete(title),
      onError,
      onSettled: lifecycle.onSettled,
    }),
  );
  const update = useMutation(
    trpc.tasks.update.mutationOptions({
      onMutate: ({ id, expectedVersion: _version, ...fields }) =>
        lifecycle.onMutate(
          replaced((task) => task.id === id, fields as Partial<Task>),
          // Only a checkbox flip sends `completed`, so the task had the other state.
          fields.completed === undefined ? undefined : flipped(fields.completed),
        ),
      onError,
      onSettled: lifecycle.onSettled,
    }),
  );
  const remove = useMutation(
    trpc.tasks.delete.mutationOptions({
      onMutate: ({ id }) => lifecycle.onMutate(removed((task) => task.id === id)),
      onError,
      onSettled: lifecycle.onSettled,
    }),
  );
  const setAll = useMutation(
    trpc.tasks.updateMany.mutationOptions({
      onMutate: ({ completed }) =>
        lifecycle.onMutate(
          replaced(() => true, { completed }),
          ({ all }) => ({
            all,
            pending: completed ? 0 : all,
            completed: completed ? all : 0,
          }),
        ),
      onError,
      onSettled: lifecycle.onSettled,
    }),
  );
  const clearCompleted = useMutation(
    trpc.tasks.deleteMany.mutationOptions({
      onMutate: () =>
        lifecycle.onMutate(
          removed((task) => task.completed),
          (counts) => ({
            all: counts.all - counts.completed,
            pending: counts.pending,
            completed: 0,
          }),
        ),
      onError,
      onSettled: lifecycle.onSettled,
    }),
  );

  /** Whether to give the user's text back: not after a 412, where the fresh task is what to see. */
  const accepted = (promise: Promise<unknown>) =>
    promise.then(
      () => true,
      (error: unknown) => problemOf(error) === "stale",
    );

  function keyFor(title: string): string {
    const key = createKeys.current.get(title) ?? crypto.randomUUID();
    createKeys.current.set(title, key);
    return key;
  }

  return {
    failure,
    failureMessage: failure ? messageOf(failure) : null,
    dismissFailure: () => setFailure(null),
    create: (title: string) =>
      accepted(create.mutateAsync({ title, idempotencyKey: keyFor(title) })),
    rename: (task: Task, title: string) =>
      accepted(update.mutateAsync({ id: task.id, title, expectedVersion: task.version })),
    setCompleted: (task: Task, completed: boolean) =>
      accepted(update.mutateAsync({ id: task.id, completed, expectedVersion: task.version })),
    remove: (task: Task) =>
      accepted(remove.mutateAsync({ id: task.id, expectedVersion: task.version })),
    setAllCompleted: (completed: boolean) => accepted(setAll.mutateAsync({ completed })),
    clearCompleted: () => accepted(clearCompleted.mutateAsync({ status: "completed" })),
  };
}
