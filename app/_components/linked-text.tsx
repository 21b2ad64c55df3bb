/**
 * Stored text (a notice is versioned text, kept as published) with one known address in it made a
 * link: only that exact http(s) URL, from the store's own settings, never anything found in the text.
 */
export function LinkedText({ text, url }: { text: string; url?: string | null }) {
  if (!url || !/^https?:\/\//i.test(url) || !text.includes(url)) return <>{text}</>;
  const [before, ...rest] = text.split(url);
  return (
    <>
      {before}
      <a href={url} rel="noopener noreferrer">
        {url}
      </a>
      {rest.join(url)}
    </>
  );
}
