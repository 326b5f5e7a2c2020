/** README's generated bench section: read it, or replace it, between the BEGIN and END markers. */
import { BEGIN, END } from "./readmeSection";

function bounds(readme: string): { start: number; end: number } {
  const start = readme.indexOf(BEGIN);
  const end = readme.indexOf(END);
  if (start < 0 || end < start)
    throw new Error(`README has no generated bench section (the markers "${BEGIN}" … "${END}")`);
  return { start, end: end + END.length };
}

export function currentSection(readme: string): string {
  const { start, end } = bounds(readme);
  return readme.slice(start, end);
}

export function withSection(readme: string, section: string): string {
  const { start, end } = bounds(readme);
  return readme.slice(0, start) + section + readme.slice(end);
}
