/** A page's generated bench section: read or replace it between its markers (docs/scale.md's by default). */
import { BEGIN, END } from "./scaleSection";

function bounds(page: string, begin: string, endMarker: string): { start: number; end: number } {
  const start = page.indexOf(begin);
  const end = page.indexOf(endMarker);
  if (start < 0 || end < start)
    throw new Error(`the page has no generated bench section (the markers "${begin}" … "${endMarker}")`);
  return { start, end: end + endMarker.length };
}

export function currentSection(page: string, begin = BEGIN, end = END): string {
  const b = bounds(page, begin, end);
  return page.slice(b.start, b.end);
}

export function withSection(page: string, section: string, begin = BEGIN, end = END): string {
  const b = bounds(page, begin, end);
  return page.slice(0, b.start) + section + page.slice(b.end);
}
