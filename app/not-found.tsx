import { SearchX } from "lucide-react";
import { FullPageMessage } from "@/components/ui/full-page-message";

export default function NotFound() {
  return (
    <FullPageMessage icon={SearchX} title="Not found">
      This page does not exist, or it belongs to a workspace you are not a member of.
    </FullPageMessage>
  );
}
