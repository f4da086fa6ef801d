import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { Intent, routeIntent } from '../../shared/intent/router.ts'
import { translateGuiWording } from '../../worker/chat/gui-wording.ts'

const word = fc.stringMatching(/^[a-z]{3,9}$/)

describe('routeIntent on generated input', () => {
  it('always answers a valid intent', () => {
    fc.assert(
      fc.property(fc.string(), fc.boolean(), (text, hasAttachments) => {
        expect(Intent.safeParse(routeIntent(text, { hasAttachments })).success).toBe(true)
      }),
    )
  })

  it('an export command with any word outside its vocabulary goes to chat', () => {
    const known = new Set(['export', 'video', 'file', 'final', 'movie', 'clip', 'format', 'please'])
    const outside = word.filter(
      (w) => !known.has(w) && routeIntent(`export ${w}`).kind !== 'export',
    )
    fc.assert(
      fc.property(outside, (w) => {
        expect(routeIntent(`please export ${w} video`)).toEqual({ kind: 'chat' })
      }),
    )
  })

  it('more than 12 words is always chat', () => {
    const words = fc.array(fc.constantFrom('export', 'the', 'video', 'please', 'now'), {
      minLength: 13,
    })
    fc.assert(
      fc.property(words, (ws) => {
        expect(routeIntent(ws.join(' '))).toEqual({ kind: 'chat' })
      }),
    )
  })
})

describe('translateGuiWording on generated input', () => {
  it('leaves text without GUI words unchanged', () => {
    const gui =
      /click|tap|press|open|drag|drop|preview|export|download|hit|select|choose|use|点|按|打开|拖|预览|导出|下载/i
    fc.assert(
      fc.property(
        fc.string().filter((s) => !gui.test(s)),
        (text) => {
          expect(translateGuiWording(text)).toEqual({ text, actions: [] })
        },
      ),
    )
  })
})
