import type { InstallationInfo } from '../../shared/api/installations.ts'
import type { Config } from '../config.ts'
import type { InstallationRecord } from './record.ts'

/** What an installation may learn about itself: never its token, secret hash or client id. */
export function installationInfo(record: InstallationRecord, config: Config): InstallationInfo {
  const info: InstallationInfo = {
    installationId: record.installationId,
    tokenKind: record.tokenKind,
    createdAt: record.createdAt,
    needsApiToken: record.token === undefined,
  }
  if (record.team) info.team = true
  if (record.tokenKind === 'anonymous' && record.anonUserId) {
    info.registerUrl = registerUrl(config, record.anonUserId)
  }
  return info
}

/** NemoVideo's registration link that binds the anonymous account (`?bind=`). */
export function registerUrl(config: Config, anonUserId: string): string {
  return `${config.nemoWebBaseUrl}/register?bind=${encodeURIComponent(anonUserId)}`
}
