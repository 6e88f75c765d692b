/**
 * A job description of about N prose words, built from realistic sentences and list items in
 * rotation, with the sections, a few findings of every kind and an emoji, so the benchmark walks
 * every rule's path (a text with no findings would be faster than real ones).
 */
const SENTENCES = [
  'You will work with product managers and designers to plan, build and ship features that our customers rely on every day.',
  'We review code together, write tests first where it helps, and keep our services simple to run.',
  'Our team of nine engineers is spread between Lisbon, Berlin and Warsaw, and we meet in person twice a year.',
  'The candidate will be responsible for improving the reliability of our payment reconciliation jobs.',
  'We are a leading provider of analytics for independent clinics, and our customers trust us with their data 🚀.',
  'In order to succeed you will need to communicate clearly with people who are not engineers.',
  'We are looking for a driven, competitive engineer who enjoys challenging problems.',
];
const ITEMS = [
  '- Design and build APIs in TypeScript and PostgreSQL.',
  '- Own services end to end, from the first sketch to monitoring in production.',
  '- Take part in a calm on-call rota, about one week in six.',
  '- Mentor two engineers and review their designs.',
  '- Three or more years of building backend services.',
  '- Work hard, play hard with a rockstar team.',
];

export function syntheticJobDescription(words: number): string {
  const parts = [
    '# Senior Backend Engineer\n',
    'We build payroll software for 40,000 small shops. [Company name]\n',
    '## Responsibilities\n',
  ];
  let count = 12;
  let i = 0;
  while (count < words) {
    if (i % 4 === 3) {
      const item = ITEMS[i % ITEMS.length]!;
      parts.push(item);
      count += item.split(/\s+/).length - 1;
    } else {
      const sentence = SENTENCES[i % SENTENCES.length]!;
      parts.push(`${sentence}\n`);
      count += sentence.split(/\s+/).length;
    }
    if (i === 40) parts.push('## Requirements\n');
    i++;
  }
  parts.push(
    '## What we offer\n',
    'The salary is $120,000 to $150,000 per year, plus a $2,000 learning budget.\n',
  );
  return parts.join('\n');
}
