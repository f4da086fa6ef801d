import { randomUUID } from 'node:crypto'
import { join } from 'node:path'
import { inject } from 'vitest'
import { launchFirefox, type FirefoxExtensionBrowser } from '../lib/firefox.ts'
import { SITE_ORIGIN_PATTERN } from '../../../scripts/lib/stack.ts'

export interface TestFirefox extends FirefoxExtensionBrowser {
  /** This browser's own download directory. */
  downloadsDir: string
}

/**
 * Firefox ESR with the Firefox build on a fresh profile: a new user, so a new installation on the
 * worker, with its own downloads folder. The demo site's origin is granted as an accepted prompt
 * would (see firefox.ts) unless `grantSiteAccess` is false.
 */
export async function openFirefox(
  label = 'user',
  opts: { grantSiteAccess?: boolean } = {},
): Promise<TestFirefox> {
  const env = inject('e2e')
  const downloadsDir = join(
    env.workDir,
    'downloads',
    `firefox-${label}-${randomUUID().slice(0, 8)}`,
  )
  const ff = await launchFirefox({
    extensionDir: env.firefoxExtensionDir,
    downloadsDir,
    grantOrigins: opts.grantSiteAccess === false ? [] : [SITE_ORIGIN_PATTERN],
  })
  return { ...ff, downloadsDir }
}
