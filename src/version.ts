/** The tool version written into run.json and the summary workbook. Kept in step with package.json by a test. */
export const VERSION = "0.1.0";
