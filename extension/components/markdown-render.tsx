import { Lexer, type Token, type Tokens } from 'marked'
import type { ComponentChildren } from 'preact'

/**
 * A reply's markdown as Preact elements, from marked's tokens (never its HTML output, never
 * `innerHTML`): Preact escapes every string, so a reply cannot inject markup. Raw HTML in a reply
 * shows as the text it is; images show as their alt text; links go only to http(s) and mailto,
 * in a new tab without an opener. Loaded on demand by `ReplyText` (not in the popup's first paint).
 */
export function renderMarkdown(text: string): ComponentChildren {
  return blocks(Lexer.lex(text, { gfm: true, breaks: true }))
}

const SAFE_LINK = /^(https?:|mailto:)/i

/** The link target when it is one a reply may open, else undefined. */
export function safeHref(href: string): string | undefined {
  const trimmed = href.trim()
  if (!SAFE_LINK.test(trimmed)) return undefined
  try {
    return new URL(trimmed).href
  } catch {
    return undefined
  }
}

function blocks(tokens: readonly Token[]): ComponentChildren[] {
  return tokens.map((token, i) => block(token, i))
}

function block(token: Token, key: number): ComponentChildren {
  switch (token.type) {
    case 'paragraph':
      return <p key={key}>{inline((token as Tokens.Paragraph).tokens)}</p>
    case 'heading': {
      const h = token as Tokens.Heading
      // Chat-sized: a reply's "#" is a section title, not a page title.
      return h.depth <= 2 ? (
        <h3 key={key}>{inline(h.tokens)}</h3>
      ) : (
        <h4 key={key}>{inline(h.tokens)}</h4>
      )
    }
    case 'list': {
      const list = token as Tokens.List
      const items = list.items.map((item, j) => (
        <li key={j}>
          {item.task && <input type="checkbox" checked={!!item.checked} disabled />}
          {blocks(item.tokens.filter((t) => t.type !== 'checkbox'))}
        </li>
      ))
      return list.ordered ? (
        <ol
          key={key}
          {...(typeof list.start === 'number' && list.start !== 1 && { start: list.start })}
        >
          {items}
        </ol>
      ) : (
        <ul key={key}>{items}</ul>
      )
    }
    case 'blockquote':
      return <blockquote key={key}>{blocks((token as Tokens.Blockquote).tokens)}</blockquote>
    case 'code':
      return (
        <pre key={key}>
          <code>{(token as Tokens.Code).text}</code>
        </pre>
      )
    case 'hr':
      return <hr key={key} />
    case 'table': {
      const table = token as Tokens.Table
      return (
        <div key={key} class="md-table">
          <table>
            <thead>
              <tr>
                {table.header.map((cell, j) => (
                  <th key={j}>{inline(cell.tokens)}</th>
                ))}
              </tr>
            </thead>
            <tbody>
              {table.rows.map((row, r) => (
                <tr key={r}>
                  {row.map((cell, j) => (
                    <td key={j}>{inline(cell.tokens)}</td>
                  ))}
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )
    }
    case 'text': {
      // A tight list item's text: inline tokens without a paragraph around them.
      const t = token as Tokens.Text
      return t.tokens ? inline(t.tokens) : t.text
    }
    case 'html':
      return <p key={key}>{(token as Tokens.HTML).text.trim()}</p>
    case 'space':
    case 'def':
      return null
    default:
      return 'raw' in token && typeof token.raw === 'string' ? token.raw : null
  }
}

function inline(tokens: readonly Token[] | undefined): ComponentChildren[] {
  return (tokens ?? []).map((token, key) => {
    switch (token.type) {
      case 'strong':
        return <strong key={key}>{inline((token as Tokens.Strong).tokens)}</strong>
      case 'em':
        return <em key={key}>{inline((token as Tokens.Em).tokens)}</em>
      case 'del':
        return <del key={key}>{inline((token as Tokens.Del).tokens)}</del>
      case 'codespan':
        return <code key={key}>{(token as Tokens.Codespan).text}</code>
      case 'br':
        return <br key={key} />
      case 'link': {
        const link = token as Tokens.Link
        const href = safeHref(link.href)
        const children = inline(link.tokens)
        return href ? (
          <a key={key} href={href} target="_blank" rel="noopener noreferrer">
            {children}
          </a>
        ) : (
          children
        )
      }
      case 'image':
        // No images from replies: their alt text stands in.
        return (token as Tokens.Image).text
      case 'text': {
        const t = token as Tokens.Text
        return t.tokens ? inline(t.tokens) : t.text
      }
      case 'escape':
      case 'html':
        return (token as Tokens.Escape | Tokens.Tag).text
      default:
        return 'raw' in token && typeof token.raw === 'string' ? token.raw : null
    }
  })
}
