"use client";
import { useRouter } from "next/navigation";
import { useState, type FormEvent } from "react";
import { authClient } from "./client";

type Mode = "sign-in" | "sign-up";

/** Email and password, against this app's Better Auth; a session cookie on success. */
export function SignInForm() {
  const router = useRouter();
  const [mode, setMode] = useState<Mode>("sign-in");
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  async function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    const email = String(form.get("email"));
    const password = String(form.get("password"));
    setBusy(true);
    setError(null);
    const result =
      mode === "sign-up"
        ? await authClient.signUp.email({ email, password, name: String(form.get("name")) })
        : await authClient.signIn.email({ email, password });
    setBusy(false);
    if (result.error) return setError(result.error.message ?? "That did not work; try again.");
    router.refresh();
  }

  const signingUp = mode === "sign-up";
  return (
    <section className="todoapp panel" aria-labelledby="auth-title">
      <h1 id="auth-title">{signingUp ? "Create your account" : "Sign in"}</h1>
      <form className="auth-form" onSubmit={submit}>
        {signingUp && (
          <p>
            <label htmlFor="name">Name</label>
            <input id="name" name="name" autoComplete="name" required />
          </p>
        )}
        <p>
          <label htmlFor="email">Email</label>
          <input id="email" name="email" type="email" autoComplete="email" required />
        </p>
        <p>
          <label htmlFor="password">Password</label>
          <input
            id="password"
            name="password"
            type="password"
            minLength={8}
            autoComplete={signingUp ? "new-password" : "current-password"}
            required
          />
        </p>
        {error && (
          <p className="notice" role="alert">
            {error}
          </p>
        )}
        <button type="submit" disabled={busy}>
          {signingUp ? "Sign up" : "Sign in"}
        </button>
      </form>
      <p>
        {signingUp ? "Already have an account?" : "No account yet?"}{" "}
        <button
          type="button"
          className="link"
          onClick={() => setMode(signingUp ? "sign-in" : "sign-up")}
        >
          {signingUp ? "Sign in" : "Create one"}
        </button>
      </p>
    </section>
  );
}
