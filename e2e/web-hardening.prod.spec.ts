import { defineWebHardeningTests } from "./web-hardening";

// The same checks against the production build: its CSP has no 'unsafe-eval' and its pages
// are rendered per request, so each must still run its scripts under the nonce.
defineWebHardeningTests();
