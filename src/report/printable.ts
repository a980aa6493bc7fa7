// Text from hosts (names, captured values, stderr) shown safely on a terminal.

/**
 * Control characters (C0 but tab, DEL, C1) and bidirectional overrides made visible as `\x1b`, `\u202e`, …: a
 * snapshot's value must not be able to drive the terminal it is printed on (move the cursor, retitle the window,
 * write the clipboard through OSC 52) or reorder what a reader sees.
 */
export function printable(text: string): string {
  return text.replace(/[\u0000-\u0008\u000a-\u001f\u007f-\u009f\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g, (c) => {
    const code = c.charCodeAt(0);
    return code <= 0xff ? `\\x${code.toString(16).padStart(2, '0')}` : `\\u${code.toString(16).padStart(4, '0')}`;
  });
}

/**
 * A host id as a report's identifiers carry it (SARIF categories, ASFF and OCSF ids, JUnit classes): every control
 * character escaped, tabs too, as a host names itself and ids must stay one printable line.
 */
export const printableId = (text: string): string => printable(text).replace(/\t/g, '\\x09');
