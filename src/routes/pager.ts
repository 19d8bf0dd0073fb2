// Where a list page is: "page 3 of 334" when the answer carried a total, the neighbours,
// and the way back from a page past the end. With a total, "Next" stops at the last page
// (1,200 things at 30 a page is 40 pages, never 41); without one, a full page is the only
// hint that more may follow, and the empty page after it offers the way back.
const MAX_PAGE = 1000; // parsePage's limit: no link may point past it
/** Thingiverse's search stops counting here (Elasticsearch's default). */
const TOTAL_CAP = 10_000;

export interface Pager {
  page: number;
  /** Null when the upstream gave no total. */
  lastPage: number | null;
  total: number | null;
  /** True when the total is the search engine's cap, i.e. "at least". */
  totalCapped: boolean;
  prevHref: string | null;
  nextHref: string | null;
  /** Set on an empty page past the end: the last page with things (or page 1). */
  backHref: string | null;
  backPage: number | null;
}

export function pagerFor(opts: {
  page: number;
  perPage: number;
  count: number;
  total: number | null;
  href: (page: number) => string;
}): Pager {
  const { page, perPage, count, total, href } = opts;
  const lastPage = total === null ? null : Math.min(MAX_PAGE, Math.max(1, Math.ceil(total / perPage)));
  const hasNext = page < MAX_PAGE && count > 0 && (lastPage === null ? count >= perPage : page < lastPage);
  const pastEnd = count === 0 && page > 1;
  const backPage = pastEnd ? Math.min(page - 1, lastPage ?? page - 1) : null;
  return {
    page,
    lastPage,
    total,
    totalCapped: total !== null && total >= TOTAL_CAP,
    prevHref: page > 1 && !pastEnd ? href(page - 1) : null,
    nextHref: hasNext ? href(page + 1) : null,
    backHref: backPage === null ? null : href(backPage),
    backPage,
  };
}
