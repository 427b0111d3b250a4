/**
 * Tensor backends: pick one (`selectBackend`), and the wasm set-up with the
 * training kernels tfjs-backend-wasm lacks (`initWasmBackend`).
 *
 * @module
 */
export {
  type AdapterSummary,
  BACKEND_REQUESTS,
  type BackendInfo,
  type BackendName,
  type BackendRequest,
} from "./backend_info.ts";
export { initWasmBackend, type InitWasmOptions, type WasmBackendInfo } from "./init_wasm.ts";
export { selectBackend, type SelectBackendOptions } from "./select_backend.ts";
