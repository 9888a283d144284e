export * from "./workspaces";
export * from "./audit";
