import { jsonWriter } from './json.js';
import { paintAt, type ColorLevel } from './paint.js';
import { textWriter } from './text.js';
import type { ReportWriter } from './writer.js';

export type Format = 'text' | 'json';
export const FORMATS: readonly Format[] = ['text', 'json'];

/** The writer for a format, described by plain data so a worker thread can make the same one. */
export function createWriter(format: Format, color: ColorLevel = 0): ReportWriter {
  return format === 'json' ? jsonWriter : textWriter(paintAt(color));
}
