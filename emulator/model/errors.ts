/**
 * Domain errors of the emulated Quick BI organization. The model raises these; the HTTP layer turns them into the
 * documented error envelope `{RequestId, HostId, Code, Message, Recommend}` with `httpStatus`.
 */
export class QuickBIError extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly httpStatus: number = 400,
  ) {
    super(message);
    this.name = "QuickBIError";
  }
}
