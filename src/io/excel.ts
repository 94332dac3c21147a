/**
 * exceljs, loaded when a workbook is first written: it takes about half a second to import, which every command
 * that writes no workbook (check, inspect, --help, a CSV export) would otherwise pay at start-up.
 */
import type ExcelJS from "exceljs";

export type ExcelJSModule = typeof ExcelJS;

let loading: Promise<ExcelJSModule> | undefined;

/** The exceljs module (imported once). */
export function loadExcelJS(): Promise<ExcelJSModule> {
  return (loading ??= import("exceljs").then((m) => m.default));
}
