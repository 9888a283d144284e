"use client";
import {
  Activity,
  BarChart3,
  Building2,
  CheckCheck,
  House,
  MessageSquareReply,
  Send,
  Settings,
  Upload,
  Users,
  type LucideIcon,
} from "lucide-react";
import Link from "next/link";
import { usePathname, useRouter } from "next/navigation";
import { useEffect } from "react";
import { cn } from "@/components/ui/cn";
import { ProductMark } from "./product-mark";
import type { NavItem } from "./nav-items";

const ICONS: Record<string, LucideIcon> = {
  home: House,
  users: Users,
  building: Building2,
  upload: Upload,
  send: Send,
  reply: MessageSquareReply,
  check: CheckCheck,
  chart: BarChart3,
  activity: Activity,
  settings: Settings,
};

/** Left navigation. "g" then a letter jumps to a section, as in Linear. */
export function Sidebar({
  items,
  header,
  footer,
  bell,
}: {
  items: NavItem[];
  header: React.ReactNode;
  footer: React.ReactNode;
  /** The notification bell, beside the product's name. */
  bell?: React.ReactNode;
}) {
  const pathname = usePathname();
  useGoToShortcuts(items);
  return (
    <aside className="flex w-56 shrink-0 flex-col border-r border-zinc-200 bg-white">
      <div className="flex items-center gap-2 px-4 py-3 text-sm font-semibold">
        <ProductMark />
        {bell}
      </div>
      <div className="px-2 pb-2">{header}</div>
      <nav aria-label="Main" className="flex-1 space-y-0.5 px-2">
        {items.map((item) => {
          const Icon = ICONS[item.icon] ?? Users;
          const active = pathname === item.href || (item.href !== "/" && pathname.startsWith(`${item.href}/`));
          return (
            <Link
              key={item.href}
              href={item.href}
              aria-current={active ? "page" : undefined}
              title={`${item.label} (g then ${item.shortcut})`}
              className={cn(
                "flex items-center gap-2.5 rounded-md px-2.5 py-1.5 text-sm",
                active ? "bg-accent-50 font-medium text-accent-700" : "text-zinc-700 hover:bg-zinc-100",
              )}
            >
              <Icon aria-hidden className="size-4" />
              {item.label}
            </Link>
          );
        })}
      </nav>
      <div className="border-t border-zinc-200 p-2">{footer}</div>
    </aside>
  );
}

function useGoToShortcuts(items: NavItem[]) {
  const router = useRouter();
  useEffect(() => {
    let armedAt = 0;
    function onKey(event: KeyboardEvent) {
      const target = event.target as HTMLElement | null;
      if (event.metaKey || event.ctrlKey || event.altKey || target?.closest("input, textarea, select, [contenteditable]")) return;
      if (event.key === "g") {
        armedAt = Date.now();
        return;
      }
      if (Date.now() - armedAt < 1500) {
        const item = items.find((i) => i.shortcut === event.key);
        if (item) router.push(item.href);
        armedAt = 0;
      }
    }
    window.addEventListener("keydown", onKey);
    return () => window.removeEventListener("keydown", onKey);
  }, [items, router]);
}
