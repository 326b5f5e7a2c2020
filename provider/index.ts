/**
 * pulumi-quickbi: Alibaba Cloud Quick BI access as Pulumi resources. The emulator is exported separately
 * (`pulumi-quickbi/emulator`); the code the Pulumi provider host runs is `pulumi-quickbi/runtime`.
 */
export * from "./resources";
export { QuickBIApiError, isQuickBIApiError } from "./api/errors";
export { ORGANIZATION_ROLES, USER_TYPES, WORKSPACE_ROLES } from "./api/roles";
export { AdoptRequiredError, MembershipWriteError, PartialApplyError } from "./handlers/errors";
export * from "./lookups";
export * from "./report";
export { AccessGuardError } from "./handlers/guards";
