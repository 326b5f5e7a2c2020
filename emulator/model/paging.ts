/** One page of a list, in the `{Data, PageNum, PageSize, TotalNum, TotalPages}` form every paged Quick BI list uses. */
export interface Page<T> {
  data: T[];
  pageNum: number;
  pageSize: number;
  totalNum: number;
  totalPages: number;
}

export const DEFAULT_PAGE_SIZE = 10;
export const MAX_PAGE_SIZE = 1000;

/** `pageNum` is 1-based; a page past the end is empty rather than an error (as list APIs usually behave). */
export function paginate<T>(items: readonly T[], pageNum = 1, pageSize = DEFAULT_PAGE_SIZE): Page<T> {
  const start = (pageNum - 1) * pageSize;
  return {
    data: items.slice(start, start + pageSize),
    pageNum,
    pageSize,
    totalNum: items.length,
    totalPages: Math.ceil(items.length / pageSize),
  };
}

/** Case-insensitive substring match, the emulator's reading of every `Keyword` parameter. */
export function matchesKeyword(keyword: string | undefined, ...fields: (string | undefined)[]): boolean {
  if (!keyword) return true;
  const k = keyword.toLowerCase();
  return fields.some((f) => f !== undefined && f.toLowerCase().includes(k));
}
