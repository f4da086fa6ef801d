import { runDurableObjectAlarm } from 'cloudflare:test'
import { afterEach, describe, it } from 'vitest'
import { paths } from '../../shared/api/routes.ts'
import { chatSession, openEvents, readFrames, send } from './chat-helpers.ts'
import { api, json, recordOf, register, sim } from './helpers.ts'
import {
  disarmJobs,
  exportableSession,
  renderingInstallation,
  startExport,
  stubOf,
} from './exports-fixtures.ts'
import { captured, collectSecrets, findLeaks, scanFile } from './secret-scan.ts'

afterEach(disarmJobs)

/**
 * The scan itself (setup.ts runs it after every worker test file): it knows this run's secrets,
 * sees what tests received and what the isolate printed, and reports a secret it finds.
 */
describe('the suite-wide secret scan', () => {
  it('knows the run’s tokens, installation secrets and client ids', async ({ expect }) => {
    const { installationId, key } = await register()
    // One upstream call, so the token and the client id have been on the wire.
    expect((await api(paths.credits, {}, key)).status).toBe(200)
    const record = await recordOf(installationId)
    const { token: userToken } = sim.control.createUserToken()
    expect((await api(paths.apiToken, json('PUT', { token: userToken }), key)).status).toBe(200)

    await scanFile(sim) // settles the background body reads
    const secrets = collectSecrets(sim)
    const values = (kind: string) => secrets.filter((s) => s.kind === kind).map((s) => s.value)
    expect(values('installation secret')).toContain(key.slice(key.indexOf('.') + 1))
    expect(values('backend token')).toEqual(expect.arrayContaining([record.token, userToken]))
    expect(values('client id')).toContain(record.clientId)
  })

  it('reports a token that reaches a console line, and a key shown outside its registration answer', async ({
    expect,
  }) => {
    const { installationId, key } = await register()
    expect((await api(paths.credits, {}, key)).status).toBe(200)
    const { token, clientId } = await recordOf(installationId)
    const secrets = collectSecrets(sim)
    const start = captured.length
    // Printed by the test through the spied console, never by worker code.
    console.warn('upstream said no', { authorization: `Bearer ${token}`, client: clientId })
    console.error(new Error(`refused ${key}`))
    const planted = captured.slice(start)
    captured.splice(start) // out of the file's capture, or the file's own scan would fail
    const leaks = findLeaks(planted, secrets)
    expect(leaks.map((l) => [l.kind, l.where])).toEqual([
      ['backend token', 'console.warn'],
      ['client id', 'console.warn'],
      ['installation secret', 'console.error'],
    ])
    // The excerpt shows where, not the secret.
    for (const leak of leaks) expect(leak.excerpt).not.toContain(String(token))
  })

  it('records the registration answer (its own key allowed) and chat streams as they were read', async ({
    expect,
  }) => {
    const start = captured.length
    const { key } = await register()
    await scanFile(sim)
    const registration = captured
      .slice(start)
      .find((c) => c.where.startsWith('POST /v1/installations -> 201 (body)'))
    expect(registration?.showsOwnKey).toBe(true)
    expect(registration?.text).toContain(key)
    expect(findLeaks([registration!], collectSecrets(sim))).toEqual([])
    // The same key anywhere else is a leak.
    expect(
      findLeaks([{ where: 'elsewhere', text: registration!.text }], collectSecrets(sim)),
    ).toHaveLength(1)

    const session = await chatSession()
    const runId = await send(session.key, session.sessionId, 'hello')
    const { frames } = await readFrames(await openEvents(session.key, session.sessionId, runId))
    const stream = captured.find(
      (c) => c.where.includes(`/runs/${runId}/events`) && c.where.endsWith('(stream)'),
    )
    expect(frames.at(-1)?.data.type).toBe('done')
    expect(stream?.text).toContain('event: done')
  })

  it('sees the lines Durable Objects print (a render job’s alarm), not just the worker’s', async ({
    expect,
  }) => {
    const { key } = await renderingInstallation()
    const job = await startExport(key, await exportableSession(key))
    sim.control.fault({ kind: 'http', endpoint: 'render-status', status: 503 })
    const start = captured.length
    expect(await runDurableObjectAlarm(stubOf(job.jobId))).toBe(true)
    const lines = captured.slice(start).filter((c) => c.where.startsWith('console.'))
    expect(lines.some((c) => c.text.includes(job.jobId))).toBe(true)
  })
})
