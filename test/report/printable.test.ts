// Text made printable for one-line output.
import { describe, expect, it } from 'vitest';
import { printable } from '../../src/report/printable.js';

describe('printable', () => {
  it('shows control characters and bidi overrides as escapes and leaves other text alone', () => {
    expect(printable('a\u001b[2Jb\u0007c\rd\ne\u009bf\u202eg\u2066h')).toBe('a\\x1b[2Jb\\x07c\\x0dd\\x0ae\\x9bf\\u202eg\\u2066h');
    expect(printable('tab\there · ✓ ünïcode 雪')).toBe('tab\there · ✓ ünïcode 雪');
  });
});
