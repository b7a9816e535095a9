export { renderReport } from './render-report.js';
export type { RenderReportOptions } from './render-report.js';
export type { ReportData, ReportJob } from './report-data.js';
export { summarize } from './summarize.js';
export type { ReportSummary } from './summarize.js';
export { compactRanges } from './id-ranges.js';
