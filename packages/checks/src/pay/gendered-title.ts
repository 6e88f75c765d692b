/**
 * Gendered job titles, which the EU Pay Transparency Directive (Art. 5(3)) rules out: "-man" and
 * "-ess" titles, and a gender marker for one sex only ("(m)"; "(m/w/d)" is the neutral form).
 */
const NEUTRAL: Record<string, string> = {
  salesman: 'salesperson',
  saleswoman: 'salesperson',
  salesmen: 'salespeople',
  chairman: 'chair',
  foreman: 'supervisor',
  craftsman: 'craftsperson',
  handyman: 'maintenance technician',
  fireman: 'firefighter',
  policeman: 'police officer',
  businessman: 'businessperson',
  cameraman: 'camera operator',
  deliveryman: 'delivery driver',
  repairman: 'repair technician',
  workman: 'worker',
  tradesman: 'tradesperson',
  draftsman: 'drafter',
  draughtsman: 'drafter',
  serviceman: 'service technician',
  spokesman: 'spokesperson',
  watchman: 'security guard',
  waitress: 'server',
  hostess: 'host',
  stewardess: 'flight attendant',
  actress: 'actor',
  manageress: 'manager',
  seamstress: 'tailor',
  barmaid: 'bartender',
  headmaster: 'head teacher',
  headmistress: 'head teacher',
  'cleaning lady': 'cleaner',
};
const ONE_SEX_MARKER = /\((m|f|w|h)\)/i;

export interface GenderedTitle {
  /** UTF-16 offsets into the title string. */
  start: number;
  end: number;
  written: string;
  suggestion: string | undefined;
}

export function genderedTitleTerms(title: string): GenderedTitle[] {
  const found: GenderedTitle[] = [];
  const lower = title.toLowerCase();
  for (const [term, suggestion] of Object.entries(NEUTRAL)) {
    for (const m of lower.matchAll(new RegExp(`\\b${term}\\b`, 'g'))) {
      found.push({
        start: m.index,
        end: m.index + term.length,
        written: title.slice(m.index, m.index + term.length),
        suggestion,
      });
    }
  }
  const marker = ONE_SEX_MARKER.exec(title);
  if (marker) {
    found.push({
      start: marker.index,
      end: marker.index + marker[0].length,
      written: marker[0],
      suggestion: '(m/w/d)',
    });
  }
  return found.sort((a, b) => a.start - b.start);
}
