/** Backend names a config may ask for; `auto` picks the fastest available. */
export const BACKEND_NAMES = ["auto", "wasm", "webgpu", "tensorflow", "cpu"] as const;
