import type { SummaryJob } from '../store/summary-data';
import { summaryData } from '../store/summary-data';
import { summarize } from './summary';

/** The JSON text of a message's summary, as the store's own would spell it (see summaryData). */
export function summaryJsonOf(job: SummaryJob): string {
  return JSON.stringify(summaryData(job.id, summarize(job.raw, job.envelope, job.username), job.created, job.via));
}
