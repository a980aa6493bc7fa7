import { jsonWriter } from './json.js';
import { junitWriter } from './junit.js';
import { markdownWriter } from './markdown.js';
import { asffWriter } from './asff.js';
import { ocsfWriter } from './ocsf.js';
import { htmlWriter } from './html.js';
import type { WriterOptions, WriterScope } from './options.js';
import { loadCatalog } from '../checks/loader.js';
import { ScanMemo } from '../memo.js';
import { paintAt } from './paint.js';
import { sarifWriter } from './sarif.js';
import { textWriter } from './text.js';
import type { ReportWriter } from './writer.js';

export type Format = 'text' | 'json' | 'sarif' | 'junit' | 'markdown' | 'asff' | 'ocsf' | 'html';
export const FORMATS: readonly Format[] = ['text', 'json', 'sarif', 'junit', 'markdown', 'asff', 'ocsf', 'html'];

/** Formats whose writer needs every host in order, in one thread (see ReportWriter.sequential). */
export const SEQUENTIAL_FORMATS: readonly Format[] = ['html'];

/**
 * The writer for a format: options are plain data, so a worker thread can make the same one; the scope is the
 * scanned catalogue and the scan's memo (the packaged catalogue and a memo of the writer's own when not given).
 */
export function createWriter(format: Format, options: WriterOptions = {}, scope: Partial<WriterScope> = {}): ReportWriter {
  const full: WriterScope = { catalog: scope.catalog ?? loadCatalog(), memo: scope.memo ?? new ScanMemo() };
  switch (format) {
    case 'json':
      return jsonWriter(full);
    case 'sarif':
      return sarifWriter(options, full);
    case 'junit':
      return junitWriter(options);
    case 'markdown':
      return markdownWriter(options, full);
    case 'asff':
      return asffWriter(options, full);
    case 'ocsf':
      return ocsfWriter(options, full);
    case 'html':
      return htmlWriter(options, full);
    default:
      return textWriter(paintAt(options.color ?? 0), full, options.show);
  }
}
