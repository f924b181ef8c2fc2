type ExcelJsModule = typeof import('exceljs');

let loaded: ExcelJsModule | undefined;

/**
 * exceljs, loaded on its first use: with its zip libraries it takes ~0.3 s to load, which every service process
 * (and every test file loading a service) would otherwise pay at start although most never touch a spreadsheet.
 */
export function excelJs(): ExcelJsModule {
  // a plain require: the caller's API stays synchronous (a writer is made as the response starts)
  loaded ??= require('exceljs') as ExcelJsModule;
  return loaded;
}
