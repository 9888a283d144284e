import { ShieldOff } from "lucide-react";
import type { Metadata } from "next";
import { FullPageMessage } from "@/components/ui/full-page-message";

export const metadata: Metadata = { title: "Not allowed" };

export default function ForbiddenPage() {
  return (
    <FullPageMessage icon={ShieldOff} title="Your role does not allow this page">
      Ask an admin of this workspace if you need access.
    </FullPageMessage>
  );
}
