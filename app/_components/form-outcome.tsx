/**
 * What the form a page was sent back from did: a saved note (role=status) or an error (role=alert),
 * both announced, in the page's language. Pages pass the text; the codes in the URL never reach it.
 */
export function FormOutcome({ saved, error }: { saved?: string | null; error?: string | null }) {
  return (
    <>
      {saved ? (
        <p className="status ok" role="status">
          {saved}
        </p>
      ) : null}
      {error ? (
        <p className="status err" role="alert">
          {error}
        </p>
      ) : null}
    </>
  );
}
