/** The access report: what a program-side or CI consumer needs (the emitting half runs inside the provider host). */
export {
  AccessChangeSchema,
  AccessReportEntrySchema,
  AccessReportSchema,
  KeptMemberSchema,
  REPORT_PREFIX,
  type AccessChange,
  type AccessReport,
  type AccessReportEntry,
  type KeptMember,
  type MembershipType,
} from "./schema";
export { AccessReportParseError, collectAccessReport, type LogLine } from "./collect";
export { changeLine, formatAccessReportMarkdown, formatEntry } from "./format";
export { REPORT_FILE_ENV } from "./emit";
