/**
 * Reads what the worker holds for an installation, straight from its public API, so a test can
 * compare what the extension shows with the worker's own record.
 * @module
 */

export interface RunRecord {
  /** The reply's text: every `text` delta in order. */
  text: string
  /** Event types in order (`text`, `activity`, `summary`, `done`, …). */
  types: string[]
}

/** Replays a chat run from its first event (`?after=0`) until the stream closes. */
export async function readRun(
  workerUrl: string,
  key: string,
  sessionId: string,
  runId: string,
): Promise<RunRecord> {
  const res = await fetch(`${workerUrl}/v1/sessions/${sessionId}/runs/${runId}/events?after=0`, {
    headers: { authorization: `Bearer ${key}`, accept: 'text/event-stream' },
    signal: AbortSignal.timeout(120_000),
  })
  if (!res.ok) throw new Error(`run events: ${res.status} ${await res.text()}`)
  const body = await res.text()
  const record: RunRecord = { text: '', types: [] }
  for (const block of body.split(/\r?\n\r?\n/)) {
    const data = block
      .split(/\r?\n/)
      .filter((l) => l.startsWith('data:'))
      .map((l) => l.slice(5).replace(/^ /, ''))
      .join('\n')
    if (!data) continue
    const event = JSON.parse(data) as { type: string; delta?: string }
    record.types.push(event.type)
    if (event.type === 'text') record.text += event.delta ?? ''
  }
  return record
}

/** `GET /v1/exports/{id}` for the installation. */
export async function readExport(workerUrl: string, key: string, jobId: string): Promise<Record<string, unknown>> {
  const res = await fetch(`${workerUrl}/v1/exports/${jobId}`, { headers: { authorization: `Bearer ${key}` } })
  if (!res.ok) throw new Error(`export ${jobId}: ${res.status} ${await res.text()}`)
  return (await res.json()) as Record<string, unknown>
}

/** `GET /v1/sessions/{id}/state`: the draft as the worker reads it (timeline and summary). */
export async function readState(
  workerUrl: string,
  key: string,
  sessionId: string,
): Promise<{ summary: string; timeline: { tracks: Array<{ kind: string; segments: Array<{ label: string }> }> } }> {
  const res = await fetch(`${workerUrl}/v1/sessions/${sessionId}/state`, { headers: { authorization: `Bearer ${key}` } })
  if (!res.ok) throw new Error(`state of ${sessionId}: ${res.status} ${await res.text()}`)
  return (await res.json()) as Awaited<ReturnType<typeof readState>>
}
