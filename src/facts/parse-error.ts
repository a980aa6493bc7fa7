/** Thrown by a parser when a capture's text is not what the command prints. */
export class ParseError extends Error {
  override readonly name = 'ParseError';
}

/** Splits text into lines without the trailing empty line a final newline leaves. */
export function lines(text: string): string[] {
  const out = text.split('\n');
  if (out.length > 0 && out[out.length - 1] === '') out.pop();
  return out;
}
