// The real Pulumi engine for this repository's demo and tests (not part of the published package): where the CLI
// is (cliLocation.ts), one stack driven through the Automation API (cliStack.ts), its events as the offline
// driver's RunReport (eventLog.ts).
export {
  CLI_DIR_ENV,
  REQUIRE_CLI_ENV,
  buildCli,
  findCli,
  obtainCli,
  type CliLocation,
  type CliSource,
} from "./cliLocation";
export {
  CliStack,
  type CliRunReport,
  type CliStackOptions,
  type InlineProgram,
  type OperationOptions,
  type StackConfig,
  type StateResource,
} from "./cliStack";
export { EventLog, nameOf } from "./eventLog";
export { isSecretCiphertext } from "./secrets";
