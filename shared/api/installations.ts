import { z } from 'zod'
import { ApiError } from '../errors/codes.ts'

/** Language codes as the backend takes them (ISO style: `en`, `zh-CN`, `ja`, `es`). */
export const Language = z
  .string()
  .check(z.regex(/^[a-z]{2,3}(-[A-Za-z0-9]{2,8})*$/, 'an ISO language code such as en or zh-CN'))
export type Language = z.infer<typeof Language>

/** How the worker reaches NemoVideo for this installation; never the token itself. */
export const TokenKind = z.enum(['anonymous', 'user'])
export type TokenKind = z.infer<typeof TokenKind>

export const CreateInstallationRequest = z.object({
  language: z._default(Language, 'en'),
  /** A private deployment's invite secret (its REGISTRATION_CODE), entered once in the options. */
  registrationCode: z.optional(z.string().check(z.trim(), z.minLength(1), z.maxLength(200))),
  /** A Cloudflare Turnstile response, for deployments that turn the human check on. */
  turnstileToken: z.optional(z.string().check(z.minLength(1), z.maxLength(4096))),
})
export type CreateInstallationRequest = z.infer<typeof CreateInstallationRequest>

/** The installation key: `<installationId>.<secret>`, sent as `Authorization: Bearer <key>`. */
export const InstallationKey = z
  .string()
  .check(z.regex(/^inst_[A-Za-z0-9]{16,64}\.[A-Za-z0-9_-]{32,128}$/))

export const InstallationCreated = z.object({
  installationId: z.string(),
  /** Shown once; the worker keeps only its hash. */
  key: InstallationKey,
  tokenKind: TokenKind,
  /**
   * Set when the backend refused this installation a free token (its per-address cap,
   * `registration_capped`): the installation exists, and works once the user sets their own API
   * token (PUT /v1/installations/me/token).
   */
  tokenError: z.optional(ApiError),
})
export type InstallationCreated = z.infer<typeof InstallationCreated>

export const InstallationInfo = z.object({
  installationId: z.string(),
  tokenKind: TokenKind,
  /** Registration link with `?bind=<anonymous user id>`, when the backend has told us that id. */
  registerUrl: z.optional(z.url()),
  createdAt: z.iso.datetime(),
  /** No usable NemoVideo token: the backend refused a free one; the user's own API token is needed. */
  needsApiToken: z.optional(z.boolean()),
  /** A private deployment: the installation uses the deployment's own NemoVideo account. */
  team: z.optional(z.boolean()),
})
export type InstallationInfo = z.infer<typeof InstallationInfo>

/** A user's own NemoVideo API token (`nmv_usr_…`), sent once and never returned. */
export const SetApiTokenRequest = z.object({
  // It travels in an Authorization header: printable ASCII only, which also keeps control
  // characters from turning into a failed backend call.
  token: z
    .string()
    .check(
      z.trim(),
      z.minLength(8),
      z.maxLength(512),
      z.regex(/^[\x21-\x7e]+$/, 'a token is printable ASCII without spaces'),
    ),
})
export type SetApiTokenRequest = z.infer<typeof SetApiTokenRequest>
