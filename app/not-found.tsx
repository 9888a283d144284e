import { FullPageMessage } from "@/components/ui/full-page-message";
import { NotFoundIcon } from "@/components/ui/not-found-icon";

export default function NotFound() {
  return (
    <FullPageMessage icon={NotFoundIcon} title="Not found">
      This page does not exist, or it belongs to a workspace you are not a member of.
    </FullPageMessage>
  );
}
