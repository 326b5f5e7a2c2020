/**
 * One typed function per Quick BI action, named after the action in camelCase (search `addWorkspaceUsers` to find
 * every caller of `AddWorkspaceUsers`). Each takes a `QuickBICaller` (normally a `QuickBIClient`) first and validates
 * its `Result` with a zod schema; types are `z.infer` of those schemas.
 */
export type { CallOptions, Envelope, QuickBICaller, Verify, VerifyOutcome, WriteOptions } from "./call";
export * from "./ops/users";
export * from "./ops/workspaces";
export * from "./ops/userGroups";
export * from "./ops/roles";
export { pages } from "./ops/paging";
export { MAX_PAGE_SIZE, type Page } from "./ops/shapes";
