import type { BrowserContext, Locator, Page } from "playwright-core";

/** The TodoMVC page as a user sees it: every control found by its label or role. */
export class TodoPage {
  /** How many times the page's live-update stream (`tasks.onChange`) has been opened. */
  liveStreams = 0;

  constructor(readonly page: Page) {
    page.on("response", (response) => {
      if (response.url().includes("/trpc/tasks.onChange") && response.status() === 200) {
        this.liveStreams += 1;
      }
    });
  }

  static async open(context: BrowserContext, url: string): Promise<TodoPage> {
    const page = await context.newPage();
    // Errors in the page are test failures' best clue: print them with the test's output.
    page.on("pageerror", (error) => console.error(`[page error] ${error.message}`));
    page.on("console", (message) => {
      if (message.type() === "error") console.error(`[console] ${message.text()}`);
    });
    const todoPage = new TodoPage(page);
    await page.goto(url);
    return todoPage;
  }

  get newTask(): Locator {
    return this.page.getByLabel("New task");
  }
  get search(): Locator {
    return this.page.getByLabel("Search tasks");
  }
  get items(): Locator {
    return this.page.getByTestId("task");
  }
  get titles(): Promise<string[]> {
    return this.page.locator("[data-testid=task] .title").allTextContents();
  }
  get alert(): Locator {
    return this.page.locator(".notice[role=alert]");
  }
  get status(): Locator {
    return this.page.locator("p.state[role=status]");
  }
  item(title: string): Locator {
    return this.items.filter({
      has: this.page.locator(".title", { hasText: new RegExp(`^${title}$`) }),
    });
  }

  async signUp(email: string): Promise<void> {
    await this.page.getByRole("button", { name: "Create one" }).click();
    await this.page.getByLabel("Name").fill(email.split("@")[0] ?? email);
    await this.page.getByLabel("Email").fill(email);
    await this.page.getByLabel("Password").fill("correct horse battery");
    await this.page.getByRole("button", { name: "Sign up" }).click();
    await this.newTask.waitFor();
  }

  async signIn(email: string): Promise<void> {
    await this.page.getByLabel("Email").fill(email);
    await this.page.getByLabel("Password").fill("correct horse battery");
    await this.page.getByRole("button", { name: "Sign in" }).click();
    await this.newTask.waitFor();
  }

  /** Types a task and presses Enter, as a keyboard user does; waits for the server's copy. */
  async add(title: string): Promise<void> {
    await this.newTask.fill(title);
    await this.newTask.press("Enter");
    await this.item(title).and(this.page.locator(":not([aria-busy])")).waitFor();
  }

  async filter(name: "All" | "Active" | "Completed"): Promise<void> {
    await this.page
      .getByRole("navigation", { name: "Filter tasks" })
      .getByRole("link", { name })
      .click();
  }

  /** Calls the API from the page with the signed-in user's token, as the app itself does. */
  async createThroughApi(apiUrl: string, titles: string[]): Promise<void> {
    await this.page.evaluate(
      async ({ apiUrl, titles }) => {
        const { token } = (await (await fetch("/api/auth/token")).json()) as { token: string };
        for (const title of titles) {
          const response = await fetch(`${apiUrl}/api/v1/tasks`, {
            method: "POST",
            headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
            body: JSON.stringify({ title }),
          });
          if (response.status !== 201) throw new Error(`create failed: ${response.status}`);
        }
      },
      { apiUrl, titles },
    );
  }

  /** Resolves when the API has answered a call of this procedure (before a reload may cut it off). */
  answered(procedure: string): Promise<unknown> {
    return this.page.waitForResponse(
      (response) =>
        new URL(response.url()).pathname.split("/")[2]?.split(",").includes(procedure) ?? false,
    );
  }

  get itemsLeft(): Locator {
    return this.page.locator(".todo-count");
  }

  /** Renames a task behind the page's back (another device), through the REST façade. */
  async renameThroughApi(apiUrl: string, title: string, newTitle: string): Promise<void> {
    await this.page.evaluate(
      async ({ apiUrl, title, newTitle }) => {
        const { token } = (await (await fetch("/api/auth/token")).json()) as { token: string };
        const headers = { authorization: `Bearer ${token}`, "content-type": "application/json" };
        const query = new URLSearchParams({ q: title, limit: "1" });
        const list = await fetch(`${apiUrl}/api/v1/tasks?${query}`, { headers });
        const { items } = (await list.json()) as { items: { id: string }[] };
        const response = await fetch(`${apiUrl}/api/v1/tasks/${items[0]?.id}`, {
          method: "PATCH",
          headers,
          body: JSON.stringify({ title: newTitle }),
        });
        if (response.status !== 200) throw new Error(`rename failed: ${response.status}`);
      },
      { apiUrl, title, newTitle },
    );
  }

  /** A JWT of the signed-in user, straight from Better Auth. */
  token(): Promise<string> {
    return this.page.evaluate(async () => {
      const body = (await (await fetch("/api/auth/token")).json()) as { token: string };
      return body.token;
    });
  }
}
