import type { Metadata } from "next";
import type { ReactNode } from "react";
import "./globals.css";

export const metadata: Metadata = {
  title: "Tasks",
  description: "A todo list on the typed task API.",
};

export default function RootLayout(props: { children: ReactNode }) {
  return (
    <html lang="en">
      <body>
        {props.children}
        <footer className="info">
          <p>Double-click a task, or use its Edit button, to change its title.</p>
        </footer>
      </body>
    </html>
  );
}
