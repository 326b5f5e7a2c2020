import { MAX_PAGE_SIZE, type Page } from "./shapes";

/**
 * Pages through a Quick BI list with the largest page size. Stops on a short page or when TotalNum is reached, and
 * never runs more pages than TotalNum allows (+1), so a server that keeps answering cannot loop us forever.
 */
export async function* pages<T>(
  fetch: (pageNum: number, pageSize: number) => Promise<Page<T>>,
  pageSize = MAX_PAGE_SIZE,
): AsyncGenerator<T, void, undefined> {
  let seen = 0;
  let maxPages = Number.POSITIVE_INFINITY;
  for (let pageNum = 1; pageNum <= maxPages; pageNum++) {
    const pg = await fetch(pageNum, pageSize);
    for (const item of pg.Data) yield item;
    seen += pg.Data.length;
    maxPages = Math.ceil(pg.TotalNum / pageSize) + 1;
    if (pg.Data.length < pageSize || seen >= pg.TotalNum) return;
  }
}
