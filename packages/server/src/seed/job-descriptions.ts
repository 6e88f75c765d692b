/**
 * Example job descriptions a fresh installation starts with, so the editor has something real to
 * open. Every one follows the section layout of jobDescriptionTemplate().
 */
import type { NewDocument } from '../storage/types.js';

/** A seed is a NewDocument without its author and time, which seedIfEmpty() supplies. */
export type SeedDocument = Required<Pick<NewDocument, 'id' | 'title' | 'department' | 'status' | 'content'>>;

const seniorBackendEngineer = `# Senior Backend Engineer

We are looking for a Senior Backend Engineer to design, build and run the services behind our scheduling and payments platform. You will own features end to end — from the first design sketch to the dashboards that tell us they work in production — and help a growing team raise its engineering bar.

## About the team

The Platform team is eight engineers, a product manager and an engineering manager, spread across three time zones. We work in small, autonomous squads, write design documents before large changes, and share on-call fairly. We value clear writing, calm incident handling and code that the next person can change with confidence.

## Responsibilities

- Design and build reliable, well-tested services and APIs in TypeScript and Go.
- Own the data model for your area, including schema changes and migrations on PostgreSQL.
- Make systems observable: structured logs, metrics and alerts that point at causes, not symptoms.
- Review code and designs, and mentor engineers through pairing and thoughtful feedback.
- Take part in an on-call rotation (one week in eight) and lead blameless post-incident reviews.
- Work with product and design to turn ambiguous problems into small, shippable steps.

## Qualifications

- 5+ years building and operating backend systems in production.
- Strong knowledge of at least one typed language and of relational databases.
- Experience with distributed systems concerns: idempotency, retries, queues and consistency.
- Comfortable with cloud infrastructure, containers and CI/CD pipelines.
- Clear written and spoken communication in English.

## Nice to have

- Experience with event-driven architectures or real-time collaboration.
- Contributions to open-source projects.
- Familiarity with payment systems or other regulated domains.

## What we offer

- Competitive salary with an annual review, plus equity.
- Remote-first work with an optional office and a monthly co-working or café budget.
- 30 days of paid holiday plus public holidays.
- A yearly learning budget for books, courses and conferences.
- Private health insurance for you and your family.
`;

const productDesigner = `# Product Designer

As a Product Designer you will shape how thousands of small businesses manage their day, from the first sign-up screen to the reports they read every Monday. You will work closely with engineers and researchers, and your decisions will be grounded in evidence — not in taste alone.

## About the team

Design is a team of five: four product designers and a design-systems lead. Each designer is embedded in a product squad and meets the others twice a week for critique. We maintain a shared component library and care about accessibility as a baseline, not an afterthought.

## Responsibilities

- Lead the design of features from discovery through delivery and iteration.
- Plan and run user interviews and usability tests, and share what you learn with the squad.
- Produce flows, wireframes, prototypes and polished interfaces that engineers can build from.
- Contribute to and extend our design system, documenting patterns as you go.
- Define success measures with your product manager and review them after launch.
- Give and receive candid, kind feedback in design critiques.

## Qualifications

- 3+ years of product design experience on web or mobile applications.
- A portfolio that shows your process, the trade-offs you made and the outcomes.
- Fluency with a modern design tool and with interactive prototyping.
- Working knowledge of accessibility standards (WCAG 2.2 AA).
- Ability to explain design decisions to engineers, stakeholders and customers.

## Nice to have

- Experience designing data-heavy interfaces such as dashboards or calendars.
- Basic HTML and CSS.
- Experience with localisation and right-to-left languages.

## What we offer

- Competitive salary and equity.
- Flexible hours and a hybrid setup: two office days a week, the rest where you like.
- A budget for equipment and software of your choice.
- 28 days of paid holiday and a paid volunteering day.
- Parental leave well above the legal minimum.
`;

const customerSuccessManager = `# Customer Success Manager

We are hiring a Customer Success Manager to help our mid-sized customers get lasting value from the product. You will be their trusted adviser after the sale: onboarding new accounts, spotting risks early and turning happy customers into advocates.

## About the team

Customer Success is a team of twelve across onboarding, account management and support operations. We measure ourselves on retention and customer health, not on ticket counts, and we work hand in hand with Sales, Support and Product.

## Responsibilities

- Manage a portfolio of around 60 accounts, from onboarding through renewal.
- Run kick-off calls, training sessions and quarterly business reviews.
- Monitor account health and act early on churn risks with a clear success plan.
- Identify expansion opportunities and hand them over to Sales at the right moment.
- Bring structured customer feedback to the product team and follow it through.
- Keep our CRM accurate so that anyone can pick up an account with full context.

## Qualifications

- 2+ years in customer success, account management or a similar client-facing role, ideally in software.
- Excellent communication skills, in writing and in meetings with senior stakeholders.
- Organised and data-minded: comfortable with CRM reports and spreadsheets.
- Empathy and persistence when a customer is frustrated.
- Fluent English; a second European language is a plus.

## Nice to have

- Experience with B2B software for operations or scheduling.
- Familiarity with customer health scoring and success platforms.
- A coaching or training background.

## What we offer

- Base salary plus a bonus tied to retention and customer health.
- Hybrid work with a modern office in the city centre.
- 28 days of paid holiday.
- Clear career paths into senior, team-lead or enablement roles.
- Wellbeing allowance for a gym, a sports club or therapy.
`;

const dataAnalyst = `# Data Analyst

We are looking for a Data Analyst to help teams across the company make better decisions with data. You will answer questions that matter — why customers stay, where onboarding stalls, which features drive usage — and build the dashboards and models that let others answer them on their own.

## About the team

The Data team is six people: analysts, an analytics engineer and a data platform engineer. We own the warehouse, the transformation layer and the company's core metrics. We document our definitions, review each other's SQL and prefer simple, well-explained analyses over clever ones.

## Responsibilities

- Partner with product, marketing and finance teams to frame questions and define metrics.
- Write clean, tested SQL and maintain models in our transformation layer.
- Build and maintain dashboards that people actually use, and retire the ones they do not.
- Design and analyse A/B tests, and explain the results and their uncertainty plainly.
- Present findings with clear recommendations to audiences at every level.
- Help improve data quality by tracing problems to their source and fixing them there.

## Qualifications

- 2+ years in a data analyst or similar role.
- Strong SQL and experience with a BI tool.
- Solid grounding in statistics, including experiment design and its pitfalls.
- Ability to turn an analysis into a short, persuasive story.
- Attention to detail and a habit of checking your own numbers.

## Nice to have

- Python or R for analysis.
- Experience with a modern data stack (cloud warehouse, dbt-style modelling).
- Experience with product analytics or subscription businesses.

## What we offer

- Competitive salary and an annual bonus.
- Remote-friendly team with quarterly in-person gatherings.
- 30 days of paid holiday.
- A learning budget and dedicated time for self-study each month.
- Pension contributions matched up to 6%.
`;

const hrBusinessPartner = `# HR Business Partner

As our HR Business Partner you will work alongside leaders in Engineering and Product to build teams where people do their best work. You will be a trusted, pragmatic adviser on organisation design, performance, development and employee relations — and a voice for fairness in every decision.

## About the team

People & Culture is a team of seven covering business partnering, talent acquisition, people operations and learning. We support about 350 employees in four countries and are building the processes of a company that is growing up without losing what makes it good to work at.

## Responsibilities

- Advise managers on team structure, workforce planning and organisational change.
- Coach leaders through performance conversations, feedback and development plans.
- Handle employee relations cases fairly, confidentially and in line with local law.
- Lead the people side of performance reviews and compensation cycles for your groups.
- Use engagement and attrition data to find problems early and propose actions.
- Work with the wider People team on policies, onboarding and leadership programmes.

## Qualifications

- 5+ years in HR, including at least 2 as an HR business partner or generalist.
- Sound knowledge of employment law in at least one European country.
- Experience supporting technical teams in a fast-growing company.
- Excellent judgement, discretion and the confidence to challenge senior leaders.
- Comfortable working with people data and HR systems.

## Nice to have

- A professional HR qualification.
- Experience with international teams and cross-border employment.
- Coaching certification.

## What we offer

- Competitive salary and an annual bonus.
- Hybrid working, with flexibility around school hours.
- 30 days of paid holiday.
- Enhanced parental leave and a fertility support programme.
- An annual development budget and time to use it.
`;

const warehouseOperationsLead = `# Warehouse Operations Lead

We are looking for a Warehouse Operations Lead to run day-to-day operations at our regional fulfilment centre. You will lead a team of around 25 people across two shifts, keep orders flowing accurately and on time, and make the warehouse a safe, well-organised place to work — on busy days and quiet ones.

## About the team

The fulfilment centre ships about 8,000 orders a day for retail and business customers. The operations team includes receiving, picking and packing, dispatch and inventory control, supported by a site manager, a health and safety coordinator and a small continuous-improvement team.

## Responsibilities

- Plan shifts and staffing to meet daily volumes and service levels.
- Lead, train and motivate shift supervisors and warehouse associates.
- Monitor productivity, accuracy and on-time dispatch, and act on the numbers.
- Own health and safety on the floor: risk assessments, toolbox talks and incident follow-up.
- Work with inventory control to keep stock records accurate and cycle counts on schedule.
- Drive improvements in layout, processes and equipment with the continuous-improvement team.

## Qualifications

- 3+ years in warehouse or logistics operations, including at least 1 year leading a team.
- Practical knowledge of warehouse management systems and handheld scanners.
- Working knowledge of health and safety regulations in a warehouse setting.
- Confident with spreadsheets and operational KPIs.
- Willingness to work early or late shifts on a rotating basis.

## Nice to have

- Forklift or reach-truck licence.
- Lean or Six Sigma training.
- Experience with peak-season planning in e-commerce.

## What we offer

- Competitive salary plus a shift allowance.
- 28 days of paid holiday.
- Free on-site parking, subsidised café and staff discounts.
- Paid training and certification, with a clear path to site management.
- Company pension and life insurance.
`;

export const seedDocuments: readonly SeedDocument[] = [
  {
    id: 'senior-backend-engineer',
    title: 'Senior Backend Engineer',
    department: 'Engineering',
    status: 'published',
    content: seniorBackendEngineer,
  },
  {
    id: 'product-designer',
    title: 'Product Designer',
    department: 'Design',
    status: 'review',
    content: productDesigner,
  },
  {
    id: 'customer-success-manager',
    title: 'Customer Success Manager',
    department: 'Customer Success',
    status: 'published',
    content: customerSuccessManager,
  },
  {
    id: 'data-analyst',
    title: 'Data Analyst',
    department: 'Data',
    status: 'draft',
    content: dataAnalyst,
  },
  {
    id: 'hr-business-partner',
    title: 'HR Business Partner',
    department: 'People & Culture',
    status: 'review',
    content: hrBusinessPartner,
  },
  {
    id: 'warehouse-operations-lead',
    title: 'Warehouse Operations Lead',
    department: 'Operations',
    status: 'draft',
    content: warehouseOperationsLead,
  },
];
