"use client";
import { useGoFresh } from "@/components/use-go-fresh";
import { useState } from "react";
import { Button } from "@/components/ui/button";
import { Field, TextInput } from "@/components/ui/field";
import { cn } from "@/components/ui/cn";
import { SubmitButton } from "@/components/ui/submit-button";
import { formText, submitHandler } from "@/components/ui/submit-handler";
import { useAction } from "@/components/use-action";
import { requestMagicLink, requestPasswordResetLink, signIn } from "./actions";

/** `reset` is reached from "Forgot your password?" under the password field. */
type Mode = "password" | "link" | "reset";

/** `mailCatcher`: development, where auth emails are caught at /dev/mail instead of delivered. */
export function LoginForm({ next, mailCatcher }: { next?: string; mailCatcher: boolean }) {
  const goFresh = useGoFresh();
  const [mode, setMode] = useState<Mode>("password");
  const [sentTo, setSentTo] = useState<string | null>(null);
  const password = useAction(signIn, { showsErrors: true });
  const link = useAction(requestMagicLink, { showsErrors: true });
  const reset = useAction(requestPasswordResetLink, { showsErrors: true });
  const active = mode === "password" ? password : mode === "link" ? link : reset;

  function submit(form: FormData) {
    const email = formText(form, "email");
    if (mode === "password") {
      password.run(
        { email, password: formText(form, "password"), next },
        {
          onSuccess: ({ redirectTo }) => goFresh(redirectTo),
        },
      );
    } else if (mode === "link") {
      link.run({ email, next }, { onSuccess: ({ sentTo: address }) => setSentTo(address) });
    } else {
      reset.run({ email }, { onSuccess: ({ sentTo: address }) => setSentTo(address) });
    }
  }

  function switchTo(m: Mode) {
    setMode(m);
    setSentTo(null);
  }

  return (
    <div className="space-y-4">
      <div role="tablist" aria-label="Sign-in method" className="grid grid-cols-2 rounded-md bg-zinc-100 p-0.5 text-sm">
        {(["password", "link"] as const).map((m) => (
          <button
            key={m}
            role="tab"
            type="button"
            aria-selected={mode === m}
            onClick={() => switchTo(m)}
            className={cn("rounded px-2 py-1.5", mode === m ? "bg-white font-medium shadow-xs" : "text-zinc-600")}
          >
            {m === "password" ? "Password" : "Email me a link"}
          </button>
        ))}
      </div>

      {mode === "reset" && !sentTo ? (
        <p className="text-sm text-zinc-600">Enter your work email and we will send a link to set a new password.</p>
      ) : null}

      {sentTo && mode !== "password" ? (
        <p role="status" className="rounded-md bg-emerald-50 p-3 text-sm text-emerald-800">
          If {sentTo} has an account, {mode === "link" ? "a sign-in link" : "a password-reset link"} is on its way.
          {mailCatcher ? (
            <>
              {" "}
              In development the email is not delivered: open the{" "}
              <a href="/dev/mail" target="_blank" className="font-medium underline">
                mail catcher
              </a>
              .
            </>
          ) : null}
        </p>
      ) : null}

      <form method="post" onSubmit={submitHandler(submit)} className="space-y-3" noValidate>
        <Field id="email" label="Work email" error={active.fieldErrors.email}>
          <TextInput id="email" name="email" type="email" autoComplete="email" required autoFocus invalid={!!active.fieldErrors.email} />
        </Field>
        {mode === "password" ? (
          <>
            <Field id="password" label="Password" error={password.fieldErrors.password}>
              <TextInput
                id="password"
                name="password"
                type="password"
                autoComplete="current-password"
                required
                invalid={!!password.fieldErrors.password}
              />
            </Field>
            <button type="button" onClick={() => switchTo("reset")} className="text-sm text-zinc-600 underline-offset-2 hover:underline">
              Forgot your password?
            </button>
          </>
        ) : null}
        {active.error && !Object.keys(active.fieldErrors).length ? (
          <p role="alert" className="text-sm text-red-600">
            {active.error}
          </p>
        ) : null}
        <SubmitButton className="w-full" pending={active.pending}>
          {active.pending ? "Working…" : mode === "password" ? "Log in" : mode === "link" ? "Send sign-in link" : "Send reset link"}
        </SubmitButton>
      </form>
    </div>
  );
}
