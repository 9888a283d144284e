export * from "./workspaces";
export * from "./audit";
export * from "./jobs";
export * from "./companies";
export * from "./leads";
export * from "./lead-activities";
export * from "./saved-views";
export * from "./lead-bulk-operations";
