import type { Messages } from "@/lib/i18n/messages.ts";

/**
 * "Newer · Page 2 of 5 · Older" under a long list (visits, consent history, the inbox): plain links,
 * so it works without JavaScript; nothing when everything fits on one page.
 */
export function Pager({
  m,
  page,
  pages,
  label,
  href,
  previous,
  next,
}: {
  m: Messages;
  page: number;
  pages: number;
  /** The navigation landmark's name, e.g. "Pages of visits". */
  label: string;
  href: (page: number) => string;
  previous: string;
  next: string;
}) {
  if (pages <= 1) return null;
  return (
    <nav aria-label={label} className="pager">
      {page > 1 ? (
        <a href={href(page - 1)} rel="prev">
          {previous}
        </a>
      ) : null}
      <span>{m.me.pageOf(page, pages)}</span>
      {page < pages ? (
        <a href={href(page + 1)} rel="next">
          {next}
        </a>
      ) : null}
    </nav>
  );
}
