import type { Metadata } from "next";
import { connection } from "next/server";
import type { ReactNode } from "react";
import { DeferredToaster } from "@/components/ui/deferred-toaster";
import "./globals.css";

export const metadata: Metadata = {
  title: { default: "Lead Intelligence Panel", template: "%s · Lead Intelligence Panel" },
  description: "Import, enrich and work B2B leads; approve campaigns before anything is sent.",
};

export default async function RootLayout({ children }: { children: ReactNode }) {
  // Every page renders per request: the CSP nonce (proxy.ts) is new each time, and a page
  // prerendered at build time would carry scripts without it, which the browser would block.
  await connection();
  return (
    <html lang="en">
      <body className="min-h-screen font-sans">
        {children}
        <DeferredToaster />
      </body>
    </html>
  );
}
