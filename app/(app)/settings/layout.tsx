import type { ReactNode } from "react";
import { requirePageSession } from "@/app/_server/session";
import { PageHeader } from "@/components/ui/page-header";
import { SettingsTabs } from "@/components/shell/settings-tabs";
import { can } from "@/lib/auth/permissions";
import { keepsMailInOutbox } from "@/lib/email/delivery";

export default async function SettingsLayout({ children }: { children: ReactNode }) {
  const session = await requirePageSession();
  const tabs = [
    { href: "/settings", label: "Profile" },
    { href: "/settings/notifications", label: "Notifications" },
  ];
  if (can(session.current.role, "team.manage")) tabs.push({ href: "/settings/team", label: "Team" });
  if (can(session.current.role, "sending.manage")) tabs.push({ href: "/settings/sending", label: "Sending" });
  if (can(session.current.role, "integrations.manage")) tabs.push({ href: "/settings/integrations", label: "Integrations" });
  if (can(session.current.role, "webhooks.manage")) tabs.push({ href: "/settings/webhooks", label: "Webhooks" });
  if (can(session.current.role, "ai.manage")) tabs.push({ href: "/settings/ai", label: "AI" });
  if (can(session.current.role, "api.manage")) tabs.push({ href: "/settings/api", label: "API" });
  if (can(session.current.role, "analytics.read")) tabs.push({ href: "/settings/ai-usage", label: "AI usage" });
  // Everyone reads the list (what campaigns will not email); only admins change it.
  tabs.push({ href: "/settings/suppression", label: "Suppression" });
  if (can(session.current.role, "outbox.read") && keepsMailInOutbox()) tabs.push({ href: "/settings/outbox", label: "Outbox" });
  return (
    <>
      <PageHeader title="Settings" description={`Workspace ${session.current.workspaceName}`} />
      <SettingsTabs tabs={tabs} />
      <div className="p-6">{children}</div>
    </>
  );
}
