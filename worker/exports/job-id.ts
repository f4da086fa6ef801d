/**
 * The job id of an export request: the same installation and idempotency key always give the same
 * id, so a double click or a retried POST reaches the same RenderJob object and renders once.
 * Another installation's key never collides (the installation id is hashed in).
 */
export async function deriveJobId(installationId: string, idempotencyKey: string): Promise<string> {
  const input = new TextEncoder().encode(`pagereel-export\n${installationId}\n${idempotencyKey}`)
  const digest = new Uint8Array(await crypto.subtle.digest('SHA-256', input))
  return `job_${toHex(digest).slice(0, 40)}`
}

/** The backend's render id of one attempt; a resubmission after a failed render gets a new one. */
export function renderIdFor(jobId: string, attempt: number): string {
  return `render_${jobId}_${attempt}`
}

export function toHex(bytes: Uint8Array): string {
  return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('')
}
