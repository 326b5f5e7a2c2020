// How a provider's failures come back over gRPC: a plain status, or a status whose details carry
// pulumirpc.ErrorResourceInitFailed (the provider threw an error with an `id`: the object exists, half made).
import type * as GrpcJs from "@grpc/grpc-js";
import * as provproto from "@pulumi/pulumi/proto/provider_pb";
import * as statusproto from "@pulumi/pulumi/proto/status_pb";
import { fromStruct, type PropertyMap } from "./wire";

/** Any failure reported by the host that is not a partial create/update. */
export class ProviderError extends Error {
  override readonly name: string = "ProviderError";
  constructor(
    message: string,
    readonly grpcCode: number,
    readonly method: string,
  ) {
    super(message);
  }
}

/**
 * A create/update that the provider reports as half-applied: the object exists (it has an id) but did not fully
 * initialise. The engine records it in state with these properties and continues it with an update next time.
 */
export class InitFailedError extends ProviderError {
  override readonly name = "InitFailedError";
  constructor(
    message: string,
    grpcCode: number,
    method: string,
    readonly id: string,
    readonly properties: PropertyMap,
    readonly reasons: string[],
    readonly inputs?: PropertyMap,
  ) {
    super(message, grpcCode, method);
  }
}

/** Turns a grpc error into ProviderError, or InitFailedError when the status details carry ErrorResourceInitFailed. */
export function toProviderError(err: GrpcJs.ServiceError, method: string): ProviderError {
  const message = err.details || err.message;
  const raw = err.metadata?.get("grpc-status-details-bin") ?? [];
  for (const bin of raw) {
    if (typeof bin === "string") continue;
    const status = statusproto.Status.deserializeBinary(new Uint8Array(bin));
    for (const any of status.getDetailsList()) {
      if (any.getTypeName() !== "pulumirpc.ErrorResourceInitFailed") continue;
      const detail = provproto.ErrorResourceInitFailed.deserializeBinary(any.getValue_asU8());
      return new InitFailedError(
        status.getMessage() || message,
        err.code,
        method,
        detail.getId(),
        fromStruct(detail.getProperties()),
        detail.getReasonsList(),
        detail.hasInputs() ? fromStruct(detail.getInputs()) : undefined,
      );
    }
  }
  return new ProviderError(message, err.code, method);
}
