import { jsonWriter } from './json.js';
import { junitWriter } from './junit.js';
import { markdownWriter } from './markdown.js';
import type { WriterOptions } from './options.js';
import { paintAt } from './paint.js';
import { sarifWriter } from './sarif.js';
import { textWriter } from './text.js';
import type { ReportWriter } from './writer.js';

export type Format = 'text' | 'json' | 'sarif' | 'junit' | 'markdown';
export const FORMATS: readonly Format[] = ['text', 'json', 'sarif', 'junit', 'markdown'];

/** The writer for a format, described by plain data so a worker thread can make the same one. */
export function createWriter(format: Format, options: WriterOptions = {}): ReportWriter {
  switch (format) {
    case 'json':
      return jsonWriter;
    case 'sarif':
      return sarifWriter(options);
    case 'junit':
      return junitWriter(options);
    case 'markdown':
      return markdownWriter(options);
    default:
      return textWriter(paintAt(options.color ?? 0));
  }
}
