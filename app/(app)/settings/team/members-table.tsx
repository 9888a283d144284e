"use client";
import { useEffect, useRef, useState } from "react";
import { Button } from "@/components/ui/button";
import { ConfirmDialog } from "@/components/ui/confirm-dialog";
import { Select } from "@/components/ui/field";
import { LocalTime } from "@/components/ui/local-time";
import { useAction } from "@/components/use-action";
import { ROLE_LABELS, WORKSPACE_ROLES, type WorkspaceRole } from "@/lib/auth/roles";
import type { TeamMember } from "@/lib/team/list-members";
import { changeRole, removeTeamMember } from "./actions";

export function MembersTable({ members, currentUserId }: { members: TeamMember[]; currentUserId: string }) {
  return (
    <table className="w-full text-sm">
      <thead className="border-b border-zinc-200 text-left text-xs text-zinc-500">
        <tr>
          <th className="px-4 py-2 font-medium">Member</th>
          <th className="px-4 py-2 font-medium">Role</th>
          <th className="px-4 py-2 font-medium">Joined</th>
          <th className="px-4 py-2" />
        </tr>
      </thead>
      <tbody className="divide-y divide-zinc-100">
        {members.map((member) => (
          <MemberRow key={member.memberId} member={member} isYou={member.userId === currentUserId} />
        ))}
      </tbody>
    </table>
  );
}

function MemberRow({ member, isYou }: { member: TeamMember; isYou: boolean }) {
  const role = useAction(changeRole);
  const [value, setValue] = useState<WorkspaceRole>(member.role);
  // The role the server last gave: when it changes (another admin's change, shown by a refresh),
  // the picker follows it instead of keeping what it showed before.
  const [serverRole, setServerRole] = useState<WorkspaceRole>(member.role);
  if (member.role !== serverRole) {
    setServerRole(member.role);
    setValue(member.role);
  }
  // A refused change goes back to the role the server gives now, not the one it gave at the click.
  const latestRole = useRef(member.role);
  useEffect(() => {
    latestRole.current = member.role;
  }, [member.role]);
  const remove = useAction(removeTeamMember);
  const name = member.fullName ?? member.email;
  return (
    <tr data-testid={`member-${member.email}`}>
      <td className="px-4 py-2">
        <div className="font-medium">
          {name} {isYou ? <span className="text-xs font-normal text-zinc-500">(you)</span> : null}
        </div>
        {member.fullName ? <div className="text-xs text-zinc-500">{member.email}</div> : null}
      </td>
      <td className="px-4 py-2">
        <Select
          aria-label={`Role of ${member.email}`}
          className="w-36 py-1"
          value={value}
          busy={role.pending}
          onChange={(event) => {
            const next = event.target.value as WorkspaceRole;
            setValue(next);
            role.run(
              { memberId: member.memberId, role: next },
              { success: `${member.email} is now ${ROLE_LABELS[next]}.`, onError: () => setValue(latestRole.current) },
            );
          }}
        >
          {WORKSPACE_ROLES.map((r) => (
            <option key={r} value={r}>
              {ROLE_LABELS[r]}
            </option>
          ))}
        </Select>
        {role.error ? <p className="mt-1 text-xs text-red-600">{role.error}</p> : null}
      </td>
      <td className="px-4 py-2 text-zinc-500">
        <LocalTime value={member.joinedAt} />
      </td>
      <td className="px-4 py-2 text-right">
        <ConfirmDialog
          trigger={
            <Button variant="ghost" size="sm" busy={remove.pending}>
              Remove
            </Button>
          }
          title={`Remove ${name}?`}
          description={`${member.email} loses access to this workspace at once. Leads they own stay in the workspace. You can invite them again later.`}
          confirmLabel="Remove member"
          onConfirm={() => remove.run({ memberId: member.memberId }, { success: `${member.email} was removed.` })}
        />
      </td>
    </tr>
  );
}
