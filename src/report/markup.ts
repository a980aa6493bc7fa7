// Text in markup the reports write (JUnit XML, the HTML reports): escaped for elements and attributes, JSON that can
// sit in a script element, and the Content-Security-Policy that admits a page's own style and script by hash.
import { crypto } from '../builtins.js';

/** Escapes text for XML and HTML elements and attributes, dropping characters XML 1.0 cannot hold. */
export function escapeMarkup(text: string): string {
  return text
    .replace(/[^\t\n\r\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/gu, '')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&apos;');
}

/** JSON inside a script element: `</script` and the line separators JavaScript once refused cannot end it early. */
export const scriptJson = (value: unknown): string =>
  JSON.stringify(value)
    .replace(/</g, '\\u003c')
    .replace(/\u2028/g, '\\u2028')
    .replace(/\u2029/g, '\\u2029');

const sha256 = (text: string): string => crypto().createHash('sha256').update(text, 'utf8').digest('base64');

/** A policy that admits nothing but this style and (when given) this script: no network, no other file. */
export function contentSecurityPolicy({ style, script }: { style: string; script?: string }): string {
  return [
    "default-src 'none'",
    `style-src 'sha256-${sha256(style)}'`,
    ...(script === undefined ? [] : [`script-src 'sha256-${sha256(script)}'`, 'img-src data:']),
    "base-uri 'none'",
    "form-action 'none'",
  ].join('; ');
}
