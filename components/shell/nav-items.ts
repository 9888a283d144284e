import type { Permission } from "@/lib/auth/permissions";

export type NavItem = { href: string; label: string; icon: string; permission: Permission; shortcut: string };

/** The left navigation of DESIGN.md §9; each item shows only to roles that may open it. */
export const NAV_ITEMS: NavItem[] = [
  { href: "/", label: "Home", icon: "home", permission: "workspace.read", shortcut: "h" },
  { href: "/leads", label: "Leads", icon: "users", permission: "workspace.read", shortcut: "l" },
  { href: "/companies", label: "Companies", icon: "building", permission: "workspace.read", shortcut: "o" },
  { href: "/imports", label: "Imports", icon: "upload", permission: "imports.read", shortcut: "i" },
  { href: "/campaigns", label: "Campaigns", icon: "send", permission: "workspace.read", shortcut: "c" },
  { href: "/replies", label: "Replies", icon: "reply", permission: "workspace.read", shortcut: "r" },
  { href: "/approvals", label: "Approvals", icon: "check", permission: "campaigns.approve", shortcut: "a" },
  { href: "/analytics", label: "Analytics", icon: "chart", permission: "analytics.read", shortcut: "y" },
  { href: "/jobs", label: "Jobs", icon: "activity", permission: "jobs.manage", shortcut: "j" },
  { href: "/settings", label: "Settings", icon: "settings", permission: "workspace.read", shortcut: "s" },
];
