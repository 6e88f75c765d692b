export { type SeedDocument, seedDocuments } from './job-descriptions.js';
export { SEED_AUTHOR, seedIfEmpty } from './seed-if-empty.js';
export { JOB_DESCRIPTION_SECTIONS, jobDescriptionTemplate } from './template.js';
