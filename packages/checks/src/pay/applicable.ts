/** Which rows of the pay table apply to a posting: by its locations and where a remote hire may live. */
import type { Posting } from '../posting.js';
import { JURISDICTIONS, type Jurisdiction } from './jurisdictions.js';

function locatedIn(posting: Posting, j: Jurisdiction): boolean {
  return (posting.locations ?? []).some(
    (l) =>
      l.country === j.country &&
      (j.region === undefined || l.region === j.region) &&
      (j.cities === undefined || (l.city !== undefined && j.cities.includes(l.city.trim().toLowerCase()))),
  );
}

function remoteFrom(posting: Posting, j: Jurisdiction): boolean {
  return (posting.remoteEligible ?? []).some((code) => j.remoteCodes.includes(code));
}

export function applicableJurisdictions(posting: Posting): Jurisdiction[] {
  return JURISDICTIONS.filter((j) => locatedIn(posting, j) || remoteFrom(posting, j));
}
