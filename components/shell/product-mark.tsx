import { Radar } from "lucide-react";

/** The product's icon and name, as the sidebar and the phone's top bar show them. */
export function ProductMark() {
  return (
    <>
      <span className="rounded-md bg-accent-600 p-1 text-white">
        <Radar aria-hidden className="size-3.5" />
      </span>
      Lead Intelligence
    </>
  );
}
