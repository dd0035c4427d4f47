/** `bytes` random bytes as hex, from the platform's CSPRNG: ids that are capabilities, tokens that tell owners apart. */
export function randomHex(bytes: number): string {
  const values = new Uint8Array(bytes);
  crypto.getRandomValues(values);
  return [...values].map((byte) => byte.toString(16).padStart(2, '0')).join('');
}
