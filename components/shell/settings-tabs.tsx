"use client";
import Link from "next/link";
import { usePathname } from "next/navigation";
import { cn } from "@/components/ui/cn";

export function SettingsTabs({ tabs }: { tabs: { href: string; label: string }[] }) {
  const pathname = usePathname();
  return (
    // An admin has more tabs than a phone is wide: they scroll sideways rather than wrap. The grey
    // rule is an inset shadow, not a border the active tab overlaps (-mb-px), which the scrolling clips.
    <nav
      aria-label="Settings"
      className="flex shrink-0 gap-4 overflow-x-auto bg-white px-4 shadow-[inset_0_-1px_0_var(--color-zinc-200)] [scrollbar-width:none] md:px-6"
    >
      {tabs.map((tab) => {
        const active = pathname === tab.href;
        return (
          <Link
            key={tab.href}
            href={tab.href}
            aria-current={active ? "page" : undefined}
            className={cn(
              "shrink-0 border-b-2 py-2 text-sm whitespace-nowrap",
              active ? "border-accent-600 font-medium text-zinc-900" : "border-transparent text-zinc-500 hover:text-zinc-800",
            )}
          >
            {tab.label}
          </Link>
        );
      })}
    </nav>
  );
}
