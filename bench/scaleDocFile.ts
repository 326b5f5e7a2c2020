/** docs/scale.md's generated bench section: read it, or replace it, between the BEGIN and END markers. */
import { BEGIN, END } from "./scaleSection";

function bounds(page: string): { start: number; end: number } {
  const start = page.indexOf(BEGIN);
  const end = page.indexOf(END);
  if (start < 0 || end < start)
    throw new Error(`the page has no generated bench section (the markers "${BEGIN}" … "${END}")`);
  return { start, end: end + END.length };
}

export function currentSection(page: string): string {
  const { start, end } = bounds(page);
  return page.slice(start, end);
}

export function withSection(page: string, section: string): string {
  const { start, end } = bounds(page);
  return page.slice(0, start) + section + page.slice(end);
}
