/**
 * Readings of the Quick BI pages that change what the model applies (the emulator's quirks that are rules rather than
 * wire shapes; see emulator/README.md, "What the pages leave open"). The defaults are the emulator's own reading.
 */
export interface ModelRules {
  /**
   * Quirk `batch-errors-whole-request`: a per-user problem in AddWorkspaceUsers / UpdateWorkspaceUsersRole fails the
   * whole request with that problem's code, and nobody is applied. Default: per user, in FailureDetail.
   */
  readonly batchErrorsWholeRequest: boolean;
  /**
   * Quirk `legacy-accountname`: AddUser accepts AccountName without AccountId, as Quick BI versions released before
   * 2024-12-31 did. Default: AccountId is required (the AddUser page's warning).
   */
  readonly legacyAccountName: boolean;
}

export const DEFAULT_MODEL_RULES: ModelRules = { batchErrorsWholeRequest: false, legacyAccountName: false };
