import { env } from 'cloudflare:workers'
import { describe, it } from 'vitest'
import { getConfig } from '../../worker/config.ts'

describe('getConfig', () => {
  it('reads the [vars] into numbers, flags and lists', ({ expect }) => {
    const config = getConfig(env)
    expect(config.upstreamBaseUrl).toBe('http://nemo.sim')
    expect(config.uploadMaxBytes).toBe(1_048_576)
    expect(config.upstreamRetryAfterMs).toBe(20)
    expect(config.allowAnyExtensionOrigin).toBe(true)
    expect(config.allowedOrigins).toEqual([])
    expect(config.skill).toEqual({
      source: 'ai-video-creator-online',
      version: '1.9.0',
      platform: 'unknown',
    })
    expect(Object.isFrozen(config)).toBe(true)
    expect(getConfig(env)).toBe(config)
  })

  it('refuses out-of-bounds or malformed values, naming the var but not its value', ({
    expect,
  }) => {
    const bad = (patch: Record<string, string>) => () => getConfig({ ...env, ...patch })
    expect(bad({ UPLOAD_MAX_BYTES: '-5' })).toThrow(/UPLOAD_MAX_BYTES/)
    expect(bad({ UPSTREAM_RETRY_AFTER_MS: 'soon' })).toThrow(/UPSTREAM_RETRY_AFTER_MS/)
    expect(bad({ UPSTREAM_BASE_URL: 'ftp://x' })).toThrow(/UPSTREAM_BASE_URL/)
    expect(bad({ ALLOWED_ORIGINS: 'not a url' })).toThrow(/ALLOWED_ORIGINS/)
    expect(bad({ ALLOW_ANY_EXTENSION_ORIGIN: 'yes please' })).toThrow(/ALLOW_ANY_EXTENSION_ORIGIN/)
    expect(bad({ UPSTREAM_BASE_URL: 'ftp://secret-host' })).not.toThrow(/secret-host/)
  })

  it('reads pinned origins', ({ expect }) => {
    const config = getConfig({
      ...env,
      ALLOWED_ORIGINS: 'chrome-extension://abc, moz-extension://def',
      ALLOW_ANY_EXTENSION_ORIGIN: 'false',
    })
    expect(config.allowedOrigins).toEqual(['chrome-extension://abc', 'moz-extension://def'])
    expect(config.allowAnyExtensionOrigin).toBe(false)
  })
})
