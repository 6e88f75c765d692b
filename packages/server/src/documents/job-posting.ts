/**
 * A job description as schema.org `JobPosting` JSON-LD (issue 21, part 5), the structured data job
 * boards and Google for Jobs read: title, description as sanitised HTML, dates, employment type,
 * the hiring organisation, where the job is (or that it is remote, and for whom), and the pay.
 *
 * Google's job-posting guidelines require title, description, datePosted, hiringOrganization and
 * jobLocation (or jobLocationType TELECOMMUTE with applicantLocationRequirements); baseSalary,
 * employmentType and validThrough are recommended. `missing` names every required property that
 * could not be filled, so the caller can say what to complete instead of publishing bad data.
 */
import type { Posting } from '@jd-collab/protocol';
import { marked } from 'marked';
import sanitizeHtml from 'sanitize-html';

export interface HiringOrganization {
  name: string;
  url?: string | undefined;
}

export interface JobPostingSource {
  id: string;
  title: string;
  content: string;
  posting: Posting;
  /** When the posting went out (ms): the document's creation until publishing dates are kept. */
  datePosted: number;
}

export interface JobPostingResult {
  jsonLd: Record<string, unknown>;
  /** Required properties that are missing (empty when the posting is complete). */
  missing: string[];
}

/** The tags a job board keeps; everything else (scripts, images, styles, raw HTML) goes. */
const ALLOWED_TAGS = [
  'p',
  'br',
  'ul',
  'ol',
  'li',
  'strong',
  'em',
  'b',
  'i',
  'h2',
  'h3',
  'h4',
  'a',
  'blockquote',
];

export function jobPosting(
  source: JobPostingSource,
  organization: HiringOrganization | null,
): JobPostingResult {
  const { posting } = source;
  const missing: string[] = [];
  const jsonLd: Record<string, unknown> = {
    '@context': 'https://schema.org/',
    '@type': 'JobPosting',
    title: source.title,
    description: descriptionHtml(source.content),
    datePosted: isoDate(source.datePosted),
    identifier: { '@type': 'PropertyValue', name: organization?.name ?? 'jd-collab', value: source.id },
  };
  if (source.title.trim() === '') missing.push('title');
  if (jsonLd.description === '') missing.push('description');
  if (posting.validThrough !== undefined) jsonLd.validThrough = posting.validThrough;
  if (posting.employmentType !== undefined) jsonLd.employmentType = posting.employmentType;
  if (organization !== null) {
    jsonLd.hiringOrganization = {
      '@type': 'Organization',
      name: organization.name,
      ...(organization.url !== undefined ? { sameAs: organization.url } : {}),
    };
  } else {
    missing.push('hiringOrganization');
  }
  const remote = posting.workplace === 'remote';
  if (remote) {
    jsonLd.jobLocationType = 'TELECOMMUTE';
    const where = posting.remoteEligible ?? [];
    if (where.length > 0) jsonLd.applicantLocationRequirements = where.map(applicantLocation);
    else missing.push('applicantLocationRequirements');
  }
  const locations = posting.locations ?? [];
  if (locations.length > 0) jsonLd.jobLocation = locations.map(place);
  else if (!remote) missing.push('jobLocation');
  if (posting.pay !== undefined) {
    const { min, max, currency, period } = posting.pay;
    jsonLd.baseSalary = {
      '@type': 'MonetaryAmount',
      currency,
      value: {
        '@type': 'QuantitativeValue',
        ...(min !== undefined ? { minValue: min } : {}),
        ...(max !== undefined ? { maxValue: max } : {}),
        ...(min !== undefined && max === undefined ? { value: min } : {}),
        unitText: period,
      },
    };
  }
  return { jsonLd, missing };
}

function descriptionHtml(markdown: string): string {
  // The first `#` heading is the title, already in `title`.
  const body = markdown.replace(/^\s*#\s[^\n]*\n/, '');
  const html = marked.parse(body, { async: false, gfm: true });
  return sanitizeHtml(html, {
    allowedTags: ALLOWED_TAGS,
    allowedAttributes: { a: ['href'] },
    allowedSchemes: ['http', 'https', 'mailto'],
  }).trim();
}

function place(location: NonNullable<Posting['locations']>[number]): Record<string, unknown> {
  return {
    '@type': 'Place',
    address: {
      '@type': 'PostalAddress',
      ...(location.city !== undefined ? { addressLocality: location.city } : {}),
      ...(location.region !== undefined ? { addressRegion: location.region } : {}),
      addressCountry: location.country,
    },
  };
}

/** "US" is a country; "US-CA" a state or other subdivision. */
function applicantLocation(code: string): Record<string, unknown> {
  return code.includes('-') ? { '@type': 'State', name: code } : { '@type': 'Country', name: code };
}

function isoDate(ms: number): string {
  return new Date(ms).toISOString().slice(0, 10);
}
