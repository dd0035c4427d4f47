/** The largest response body accepted by default, in bytes (4 MiB): the answers here are small JSON. */
export const defaultMaxResponseBytes = 4 * 1024 * 1024;
