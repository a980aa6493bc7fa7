import { jsonWriter } from './json.js';
import { junitWriter } from './junit.js';
import { markdownWriter } from './markdown.js';
import { asffWriter } from './asff.js';
import { ocsfWriter } from './ocsf.js';
import type { WriterOptions } from './options.js';
import { paintAt } from './paint.js';
import { sarifWriter } from './sarif.js';
import { textWriter } from './text.js';
import type { ReportWriter } from './writer.js';

export type Format = 'text' | 'json' | 'sarif' | 'junit' | 'markdown' | 'asff' | 'ocsf';
export const FORMATS: readonly Format[] = ['text', 'json', 'sarif', 'junit', 'markdown', 'asff', 'ocsf'];

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
    case 'asff':
      return asffWriter(options);
    case 'ocsf':
      return ocsfWriter(options);
    default:
      return textWriter(paintAt(options.color ?? 0));
  }
}
