import { defineUnsubscribeTests } from "./unsubscribe";

defineUnsubscribeTests();
