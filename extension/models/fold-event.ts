import type { ChatEvent } from '../../shared/api/index.ts'
import type { ReplyEntry } from './chat-history.ts'

/**
 * A reply after one more event of its run. Pure, so the same sequence of events always gives the
 * same reply whether it arrived live or after a re-attach.
 */
export function foldEvent(reply: ReplyEntry, seq: number, event: ChatEvent): ReplyEntry {
  const r: ReplyEntry = { ...reply, lastSeq: seq }
  switch (event.type) {
    case 'text':
      return { ...r, text: r.text + event.delta, editing: false, stillWorking: false }
    case 'activity':
      return { ...r, editing: true, stillWorking: false }
    case 'still_working':
      return { ...r, stillWorking: true }
    case 'notice':
      return { ...r, notices: [...r.notices, event.code] }
    case 'summary':
      return {
        ...r,
        summary: { summary: event.summary, timeline: event.timeline },
        stillWorking: false,
      }
    case 'done':
      return { ...r, status: 'done', actions: event.actions, editing: false, stillWorking: false }
    case 'error':
      return { ...r, status: 'error', error: event.error, editing: false, stillWorking: false }
    default:
      // An event this build does not know: keep its seq so it is not asked for again, show nothing.
      return r
  }
}
