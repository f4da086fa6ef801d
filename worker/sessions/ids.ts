const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789'
/** 248 is the largest multiple of 62 below 256: bytes above it are dropped so every letter is equally likely. */
const UNBIASED_LIMIT = 248

function randomAlphanumeric(length: number): string {
  let out = ''
  while (out.length < length) {
    for (const byte of crypto.getRandomValues(new Uint8Array(length * 2))) {
      if (byte < UNBIASED_LIMIT && out.length < length) out += ALPHABET[byte % ALPHABET.length]
    }
  }
  return out
}

/** A new worker session id (`ses_` + 24 random letters and digits, as `SessionId` accepts). */
export function newSessionId(): string {
  return `ses_${randomAlphanumeric(24)}`
}

/** A new chat run id (`run_` + 24 random letters and digits, as `RunId` accepts). */
export function newRunId(): string {
  return `run_${randomAlphanumeric(24)}`
}
