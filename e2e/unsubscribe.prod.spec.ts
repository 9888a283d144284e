import { defineUnsubscribeTests } from "./unsubscribe";

// The production build: the same pages, headers and effects as in development.
defineUnsubscribeTests();
