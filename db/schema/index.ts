export * from "./workspaces";
export * from "./audit";
export * from "./jobs";
