/**
 * Registry exports (XLSX / CSV, streamed): columns and formats, the streaming writer, the query-string filters
 * and the REST route a service mounts on its internal router. A subpath of its own (`@kartoteka/kit/export`);
 * exceljs itself is loaded only when a spreadsheet is first written or read (`excelJs`).
 */
export * from './export-format';
export * from './export-writer';
export * from './export-query';
export * from './export-route';
export * from './export-config';
export * from './export-reader';
export * from './excel';
