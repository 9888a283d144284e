import { Upload } from "lucide-react";
import type { Metadata } from "next";
import { ComingSoonPage } from "@/components/shell/coming-soon-page";

export const metadata: Metadata = { title: "Imports" };

export default function Page() {
  return (
    <ComingSoonPage
      permission="imports.run"
      title="Imports"
      description="CSV uploads and syncs from Apollo and Instantly, with their progress and row errors."
      icon={Upload}
      emptyTitle="Nothing imported yet"
    >
      Uploads of CSV files (generic, Apollo export, PhantomBuster) and API imports will appear here with a progress bar and every rejected
      row explained.
    </ComingSoonPage>
  );
}
