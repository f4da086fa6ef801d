import { z } from 'zod'
import { ShapeProfile } from './profiles.ts'

const DAY_MS = 24 * 60 * 60 * 1000

/** How a render's progress advances: per status poll (deterministic) or with (scaled) time. */
export const RenderMode = z.discriminatedUnion('mode', [
  z.object({ mode: z.literal('polls'), pollsToComplete: z.number().int().min(1) }),
  z.object({ mode: z.literal('time'), durationMs: z.number().nonnegative() }),
])

/** The wire nastiness of `/run_sse`; every knob on by default, in a realistic mix. */
export const SseNastiness = z.object({
  /** `crlf`: every line ends CRLF; `lf`: never; `mixed`: per event, seeded. */
  lineEndings: z.enum(['lf', 'crlf', 'mixed']),
  /** Split events across chunks at random byte offsets, including inside UTF-8 characters. */
  splitChunks: z.boolean(),
  /** `: comment` lines now and then. */
  comments: z.boolean(),
  /** Empty `data:` lines as keep-alives next to heartbeat events. */
  emptyData: z.boolean(),
  /** Unknown fields on events (`ts`, `invocation_id`, ...). */
  unknownFields: z.boolean(),
  /** Keep-alive interval while the backend "works", before timeScale. */
  heartbeatMs: z.number().positive(),
  /** Share of turns that end with "I encountered a temporary issue" after normal output. */
  trailingIssueRate: z.number().min(0).max(1),
  /** Share of edits that answer with no text at all (the draft still changes). */
  noTextRate: z.number().min(0).max(1),
})

export const SimulatorConfig = z.object({
  /** How answers and chat events are shaped (profiles.ts): `documented`, `minimal`, `variant`. */
  profile: ShapeProfile,
  /** Multiplies every simulated duration (turns, heartbeats, time-mode renders, slow faults). */
  timeScale: z.number().nonnegative(),
  /** Seed of the per-session PRNGs (reply choice, chunk splits, no-text edits). */
  seed: z.number().int(),
  tokenTtlMs: z.number().positive(),
  /** Anonymous tokens issued per IP per token lifetime. */
  tokensPerIp: z.number().int().min(0),
  /** Anonymous tokens lack the render scope (NemoVideo since v1.8): render submit answers 402. */
  anonymousRenderBlocked: z.boolean(),
  anonymousCredits: z.number().nonnegative(),
  userCredits: z.number().nonnegative(),
  /** Credits a chat turn costs: a generation per clip, an edit once per session. */
  costs: z.object({ generate: z.number().nonnegative(), edit: z.number().nonnegative() }),
  /** Where the session answer puts `session_id`. */
  sessionIdNesting: z.enum(['data', 'top', 'both']),
  /** `mixed` picks documented or ADK per turn (seeded). */
  sseStyle: z.enum(['documented', 'adk', 'mixed']),
  sse: SseNastiness,
  render: RenderMode,
  /** Render status answer shape; `rotate` alternates per poll. */
  statusShape: z.enum(['data', 'top', 'rotate']),
  maxFileBytes: z.number().int().positive(),
})
export type SimulatorConfig = z.infer<typeof SimulatorConfig>

/** A partial config as `createSimulator`, `control.configure` and `POST /__sim/config` take it. */
export const SimulatorConfigPatch = SimulatorConfig.extend({
  sse: SseNastiness.partial(),
  costs: SimulatorConfig.shape.costs.partial(),
}).partial()
export type SimulatorConfigPatch = z.infer<typeof SimulatorConfigPatch>

export const DEFAULT_CONFIG: SimulatorConfig = {
  profile: 'documented',
  timeScale: 1,
  seed: 20260324,
  tokenTtlMs: 7 * DAY_MS,
  tokensPerIp: 10,
  anonymousRenderBlocked: false,
  anonymousCredits: 100,
  userCredits: 5000,
  costs: { generate: 100, edit: 50 },
  sessionIdNesting: 'data',
  sseStyle: 'mixed',
  sse: {
    lineEndings: 'mixed',
    splitChunks: true,
    comments: true,
    emptyData: true,
    unknownFields: true,
    heartbeatMs: 15_000,
    trailingIssueRate: 0.15,
    noTextRate: 0.3,
  },
  render: { mode: 'time', durationMs: 20_000 },
  statusShape: 'rotate',
  maxFileBytes: 500 * 1024 * 1024,
}

/** Applies a patch; nested `sse` and `costs` merge key by key. */
export function mergeConfig(
  base: SimulatorConfig,
  patch: SimulatorConfigPatch = {},
): SimulatorConfig {
  return SimulatorConfig.parse({
    ...base,
    ...patch,
    sse: { ...base.sse, ...patch.sse },
    costs: { ...base.costs, ...patch.costs },
  })
}
