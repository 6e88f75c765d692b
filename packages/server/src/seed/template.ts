/**
 * The Markdown a new job description starts from: the same sections as the seeds, with
 * bracketed placeholders that tell the author what belongs where.
 */

/** Headings every job description has, in order (the template and the seeds follow them). */
export const JOB_DESCRIPTION_SECTIONS = [
  'About the team',
  'Responsibilities',
  'Qualifications',
  'Nice to have',
  'What we offer',
] as const;

/** Collapses line breaks and runs of whitespace, so a title cannot break out of its heading. */
function oneLine(text: string): string {
  return text.replace(/\s+/g, ' ').trim();
}

export function jobDescriptionTemplate(title: string, department: string): string {
  const heading = oneLine(title) || 'Job title';
  const team = oneLine(department) || 'the team';
  return `# ${heading}

[Summary: two or three sentences on what this role is for, what the person will own and why it matters now.]

## About the team

[Who ${team} are, how many people, how you work together and what you are proud of.]

## Responsibilities

- [What this person will do week to week — start each line with a verb.]
- [A responsibility they will own end to end.]
- [Who they will work with, and on what.]

## Qualifications

- [Experience that is truly required, e.g. "3+ years of …".]
- [A skill they need from day one.]
- [How they communicate and work with others.]

## Nice to have

- [Something that helps but is not required.]

## What we offer

- [Salary range and benefits.]
- [Working arrangements: remote, hybrid or on site; hours.]
- [Holidays, learning budget, other perks.]
`;
}
